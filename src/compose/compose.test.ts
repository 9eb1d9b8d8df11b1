// The wiring that holds decisions: ROSTER_NOW, the settings the core receives, and which feeds a config
// builds (and what the outbound feed adds to the server).
import { describe, expect, it } from 'vitest';
import { ENV, MINIMAL } from '../config/config-test-fixtures.ts';
import { parseConfig } from '../config/parse-config.ts';
import { silentLogger } from '../ports/logger.ts';
import { systemClock } from '../ports/clock.ts';
import type { CrmSource } from '../ports/crm-source.ts';
import { clockFromEnv } from './clock-from-env.ts';
import { settingsOf } from './connect.ts';
import { buildFeeds } from './feeds.ts';

const crm: CrmSource = {
  fetchContacts: async () => [],
  changedSince: async () => [],
  apiUsage: () => null,
  checkAccess: async () => [],
};
const feedsOf = (yaml: string) =>
  buildFeeds(parseConfig(MINIMAL + yaml, ENV, '/srv/roster'), {
    crm,
    clock: systemClock,
    log: silentLogger,
    sink: async () => ({ duplicates: [] }),
  });

describe('clockFromEnv', () => {
  it('is the system clock unless ROSTER_NOW moves "today"', () => {
    expect(clockFromEnv({})).toBe(systemClock);
    const moved = clockFromEnv({ ROSTER_NOW: '2030-01-15' });
    expect(moved.now().toISOString().slice(0, 10)).toBe('2030-01-15');
    expect(() => clockFromEnv({ ROSTER_NOW: 'next tuesday' })).toThrow(
      expect.objectContaining({ code: 'ROSTER_CONFIG_INVALID' }),
    );
  });
});

describe('settingsOf', () => {
  it('compiles the rules and hands the core the Docebo platform settings', () => {
    const s = settingsOf(parseConfig(MINIMAL, ENV, '/srv/roster'));
    expect(s.rules.map((r) => [r.name, r.retireOn])).toEqual([
      ['account-retired', 'Account.Retired_Date__c'],
      ['contact-left', 'Left_Date__c'],
    ]);
    expect(s).toMatchObject({ mode: 'expire-and-deactivate', timezone: 'UTC', batchSize: 100 });
    expect(s.query.contactFields).toEqual(expect.arrayContaining(['Email', 'Left_Date__c']));
  });
});

describe('buildFeeds', () => {
  it('polls by default, with nothing to add to the server', async () => {
    const built = await feedsOf('');
    expect(built.feeds.map((f) => [f.feed.name, f.intervalMs])).toEqual([['poll', 60_000]]);
    expect(built.plugins).toEqual([]);
  });

  it('outbound messages add a feed that speaks only when Salesforce does, and an endpoint', async () => {
    const built = await feedsOf(`
feeds:
  poll: { enabled: false }
  outboundMessages: { enabled: true, organizationId: 00D000000000001, secret: a-long-enough-secret }
`);
    expect(built.feeds.map((f) => [f.feed.name, f.intervalMs])).toEqual([['outbound', null]]);
    expect(built.plugins).toHaveLength(1);
  });

  it('CDC with an unreadable CA file names the field', async () => {
    await expect(
      feedsOf(`
feeds:
  cdc: { enabled: true, caFile: /nonexistent/ca.pem }
`),
    ).rejects.toMatchObject({
      code: 'ROSTER_CONFIG_INVALID',
      message: expect.stringContaining('feeds.cdc.caFile'),
    });
  });
});
