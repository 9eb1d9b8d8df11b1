// The one schema for roster.yaml. Strict: an unknown key is a problem (usually a typo that would
// otherwise silently fall back to a default). Conditions and field paths are checked with src/rules,
// so a rule that cannot be evaluated is refused before anything is contacted.
import { z } from 'zod';
import type { RetireMode } from '../domain/plan.ts';
import { parseFieldPath } from '../rules/field-path.ts';
import { parseCondition } from '../rules/parse-condition.ts';
import { RuleSyntaxError } from '../rules/rule-errors.ts';
import {
  alertsSchema,
  feedsSchema,
  queueSchema,
  reconcileSchema,
  serveSchema,
} from './service-config-schema.ts';
import { guardsSchema } from './guards-config-schema.ts';
import { timezone } from './timezone-schema.ts';

// Numbers may come from `${VAR}` interpolation as strings.
const numeric = (schema: z.ZodType<number>) =>
  z.preprocess((v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v), schema);

const intFromTo = (min: number, max: number) => {
  const error = `expected a whole number from ${min} to ${max}`;
  return numeric(z.int({ error }).min(min, { error }).max(max, { error }));
};

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });
const nonEmpty = z.string({ error: 'expected text' }).trim().min(1, { error: 'must not be empty' });

const condition = z.string({ error: 'expected a SOQL condition in quotes' }).superRefine((text, ctx) => {
  try {
    parseCondition(text);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: e instanceof RuleSyntaxError ? e.reason : String(e) });
  }
});

const fieldPath = z
  .string({ error: 'expected a field path, e.g. Email or Account.Status__c' })
  .superRefine((text, ctx) => {
    const parsed = parseFieldPath(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason });
  });

const salesforceAuth = z.discriminatedUnion(
  'flow',
  [
    z.strictObject({ flow: z.literal('client_credentials'), clientId: nonEmpty, clientSecret: nonEmpty }),
    z.strictObject({
      flow: z.literal('jwt'),
      clientId: nonEmpty,
      username: nonEmpty,
      privateKeyFile: nonEmpty,
      audience: httpUrl.default('https://login.salesforce.com'),
    }),
  ],
  { error: 'expected flow: client_credentials or flow: jwt' },
);

// `grant` defaults to client_credentials; filled in before the union looks at it.
const doceboAuth = z.preprocess(
  (v) => (v !== null && typeof v === 'object' && !('grant' in v) ? { ...v, grant: 'client_credentials' } : v),
  z.discriminatedUnion(
    'grant',
    [
      z.strictObject({ grant: z.literal('client_credentials'), clientId: nonEmpty, clientSecret: nonEmpty }),
      z.strictObject({
        grant: z.literal('password'),
        clientId: nonEmpty,
        clientSecret: nonEmpty,
        username: nonEmpty,
        password: nonEmpty,
      }),
    ],
    { error: 'expected grant: client_credentials or grant: password' },
  ),
);

const retireModes = [
  'expire-and-deactivate',
  'expire',
  'deactivate',
] as const satisfies readonly RetireMode[];

export const configSchema = z.strictObject({
  salesforce: z.strictObject({
    loginUrl: httpUrl,
    // YAML reads an unquoted 66.0 as the number 66.
    apiVersion: z
      .preprocess((v) => (typeof v === 'number' && Number.isInteger(v) ? `${v}.0` : v), z.string())
      .pipe(z.string().regex(/^\d{2,3}\.0$/, { error: 'expected an API version like "66.0"' }))
      .default('66.0'),
    auth: salesforceAuth,
    batchSize: intFromTo(200, 2000).default(2000),
  }),
  docebo: z.strictObject({
    baseUrl: httpUrl,
    auth: doceboAuth,
    callsPerHour: intFromTo(1, 1_000_000).default(1000),
    batchSize: intFromTo(1, 1000).default(100),
    batchIdentifyBy: z
      .enum(['user_id', 'username'], { error: 'expected user_id or username' })
      .default('user_id'),
    timezone: timezone.default('UTC'),
    // What a batch row sends to remove an expiration date. Undocumented either way: "" is the importer's
    // own wording ("the value can be empty"); every restore is checked on the next listing.
    clearExpirationWith: z.union([z.literal(''), z.null()], { error: 'expected "" or null' }).default(''),
  }),
  scope: z.strictObject({ contacts: condition }),
  match: z
    .array(
      z.strictObject({
        docebo: z
          .string()
          .regex(/^(email|username|field_\d+)$/, { error: 'expected email, username or field_N' }),
        salesforce: fieldPath,
      }),
    )
    .min(1, { error: 'expected at least one match key' }),
  rules: z
    .array(
      z.strictObject({
        name: z
          .string()
          .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'expected a kebab-case name, e.g. account-retired' }),
        when: condition,
        // Empty means: the day Roster first saw the rule hold.
        retireOn: z.union([z.literal(''), z.null(), fieldPath]).optional(),
      }),
    )
    .min(1, { error: 'expected at least one rule' }),
  retire: z
    .strictObject({
      mode: z
        .enum(retireModes, { error: `expected ${retireModes.join(', ')}` })
        .default('expire-and-deactivate'),
    })
    .prefault({}),
  serve: serveSchema,
  feeds: feedsSchema,
  reconcile: reconcileSchema,
  alerts: alertsSchema,
  queue: queueSchema,
  guards: guardsSchema,
  store: z
    .string()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, { error: 'expected sqlite:PATH or postgres://…' })
    .default('sqlite:./roster.db'),
});

export type ParsedConfig = z.output<typeof configSchema>;

export type SalesforceAuth =
  | { flow: 'client_credentials'; clientId: string; clientSecret: string }
  | {
      flow: 'jwt';
      clientId: string;
      username: string;
      /** Absolute path (resolved against the config file's directory). */
      privateKeyFile: string;
      /** The PEM text, read by loadConfig; null only from parseConfig without a file reader. */
      privateKey: string | null;
      audience: string;
    };

export type DoceboAuth = ParsedConfig['docebo']['auth'];

export interface RosterConfig {
  salesforce: Omit<ParsedConfig['salesforce'], 'auth'> & { auth: SalesforceAuth };
  docebo: ParsedConfig['docebo'];
  scope: ParsedConfig['scope'];
  match: ParsedConfig['match'];
  rules: { name: string; when: string; retireOn: string | null }[];
  retire: { mode: RetireMode };
  serve: ParsedConfig['serve'];
  feeds: ParsedConfig['feeds'];
  reconcile: ParsedConfig['reconcile'];
  alerts: ParsedConfig['alerts'];
  queue: ParsedConfig['queue'];
  guards: ParsedConfig['guards'];
  /** `sqlite:/absolute/path` or a PostgreSQL URL. */
  store: string;
}

/** The configuration of a command that serves or calls the admin API (`serve`, `status`): it has a token. */
export type AdminConfig = RosterConfig & {
  readonly serve: RosterConfig['serve'] & { readonly adminToken: string };
};
