// The parts of roster.yaml that only `roster serve` reads: the HTTP server, change feeds,
// reconciliation, alerts and the work queue. Every part has a default, so plan/apply configs stay short.
import { z } from 'zod';
import { timezone } from './timezone-schema.ts';

const DURATION = /^(\d+)(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** `500ms`, `60s`, `5m`, `1h` (or a plain number of seconds) → milliseconds. */
const duration = (min: number, max: number) =>
  z
    .union([z.number(), z.string()], { error: 'expected a duration like 60s, 5m or 1h' })
    .transform((v, ctx) => {
      const m = typeof v === 'number' ? null : DURATION.exec(v.trim());
      const ms =
        typeof v === 'number' ? v * 1000 : m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : NaN;
      if (!Number.isFinite(ms) || ms < min || ms > max) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a duration from ${min / 1000}s to ${max / 3_600_000}h, like 60s, 5m or 1h`,
        });
        return z.NEVER;
      }
      return ms;
    });

// Five-field cron, checked for shape here and fully by the scheduler when serve starts.
const cron = z
  .string({ error: 'expected a cron expression like "0 3 * * *"' })
  .regex(/^\s*(\S+\s+){4}\S+\s*$/, { error: 'expected five cron fields, e.g. "0 3 * * *" (03:00 daily)' });

const requiredWhenEnabled = z.string({
  error: (issue) => (issue.input === undefined ? 'required when enabled' : 'expected text'),
});
const omSecret = z.string().min(16, { error: 'use at least 16 characters' });
const omPath = z
  .string()
  .regex(/^\/[\w\-/]*$/)
  .default('/salesforce/outbound-messages');

const salesforceOrgId = z.string().regex(/^00D[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/, {
  error: 'expected the org id, 00D… (15 or 18 characters)',
});

export const serveSchema = z
  .strictObject({
    host: z.string().default('127.0.0.1'),
    port: z
      .preprocess(
        (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
        z.int().min(0).max(65535, { error: 'expected a port from 0 to 65535' }),
      )
      .default(7100),
    // Optional in the schema so that plan/apply configs need none; `roster serve` refuses to start without it.
    adminToken: z
      .string()
      .min(24, { error: 'use at least 24 characters (e.g. `openssl rand -hex 24`)' })
      .optional(),
    // How long the writer lease lasts without renewal: how soon a standby takes over after a crash.
    leaseTime: duration(3000, 600_000).default(15_000),
    // observe: compute and journal everything as "would do", write nothing to Docebo.
    mode: z.enum(['enforce', 'observe'], { error: 'expected enforce or observe' }).default('enforce'),
  })
  .prefault({});

export const feedsSchema = z
  .strictObject({
    poll: z
      .strictObject({
        enabled: z.boolean().default(true),
        interval: duration(1000, 86_400_000).default(60_000),
        // A long transaction can commit with a SystemModstamp earlier than the last poll.
        overlap: duration(0, 3_600_000).default(120_000),
        // Above this share of the org's daily API allowance, polling slows down.
        slowDownAbovePercent: z.number().min(1).max(100).default(80),
      })
      .prefault({}),
    cdc: z
      .strictObject({
        enabled: z.boolean().default(false),
        address: z.string().default('api.pubsub.salesforce.com:7443'),
        topic: z.string().default('/data/ChangeEvents'),
        // Only for endpoints with a private CA (the simulator); Salesforce uses public certificates.
        caFile: z.string().optional(),
      })
      .prefault({}),
    // Enabled, the org id and the secret are required; the types say so (no check downstream).
    outboundMessages: z
      .discriminatedUnion(
        'enabled',
        [
          z.strictObject({
            enabled: z.literal(true),
            organizationId: requiredWhenEnabled.pipe(salesforceOrgId),
            secret: requiredWhenEnabled.pipe(omSecret),
            path: omPath,
          }),
          z.strictObject({
            enabled: z.literal(false).default(false),
            organizationId: salesforceOrgId.optional(),
            secret: omSecret.optional(),
            path: omPath,
          }),
        ],
        { error: 'expected enabled: true or enabled: false' },
      )
      .prefault({}),
  })
  .prefault({});

export const reconcileSchema = z
  .strictObject({
    schedule: cron.default('0 3 * * *'),
    // The zone the cron schedule is read in; checked here so a typo names this field, not serve's start.
    timezone: timezone.default('UTC'),
    // A reconciliation at start-up catches up with everything that happened while Roster was down.
    onStart: z.boolean().default(true),
    // Feeds that lost track (undecodable CDC events, GAP_OVERFLOW, an expired replay id) cause at most
    // one reconciliation per this long; 0 = no limit. Each one spends a full Docebo listing.
    feedTroubleInterval: duration(0, 86_400_000).default(900_000),
  })
  .prefault({});

export const alertsSchema = z
  .strictObject({
    webhookUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  })
  .prefault({});

export const queueSchema = z
  .strictObject({
    // Events for one account's cascade arrive over a moment: wait this long to send them in full batches.
    window: duration(0, 60_000).default(1000),
    maxAttempts: z.int().min(1).max(100).default(8),
    // Jobs claimed at once; their contacts are read and planned together.
    claimLimit: z.int().min(1).max(5000).default(500),
  })
  .prefault({});

export type ServeConfig = z.output<typeof serveSchema>;
export type FeedsConfig = z.output<typeof feedsSchema>;
export type ReconcileConfig = z.output<typeof reconcileSchema>;
export type AlertsConfig = z.output<typeof alertsSchema>;
export type QueueConfig = z.output<typeof queueSchema>;
