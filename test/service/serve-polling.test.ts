// `roster serve` with the polling feed, in process and in virtual time: the real SQLite store, both
// simulators on loopback, writes through Salesforce's REST API, results read from the Docebo simulator.
import { afterEach, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import { isWriteCall } from '../../simulators/sim-admin.ts';
import type { ServiceStatus } from '../../src/app/service/service-status.ts';
import { runCliInProcess } from '../helpers/cli.ts';
import {
  acmeRetired,
  ADMIN_TOKEN,
  POLL_YAML,
  startServiceWorld,
  whenStarted,
  type ServiceWorld,
} from '../helpers/service-world.ts';

let world: ServiceWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

/** `roster status --json --url …` in process: its exit code and what it printed. */
async function rosterStatus(w: ServiceWorld): Promise<{ code: number; status: ServiceStatus }> {
  const r = await runCliInProcess(['status', '-c', w.configFile, '--json', '--url', w.roster.url], {
    env: { ROSTER_ADMIN_TOKEN: ADMIN_TOKEN },
  });
  return { code: r.code ?? -1, status: JSON.parse(r.stdout) as ServiceStatus };
}

describe('roster serve with the polling feed', () => {
  it('retires ACME inactivated through the REST API within a poll and a window; status; drift found by an admin-triggered reconciliation', async () => {
    const w = (world = await startServiceWorld(acmeScenario({ otherContacts: 40 })));
    await whenStarted(w);

    const started = w.clock.now().getTime();
    await w.sfWrite('Account', w.ids.acme as string, { Status__c: 'Inactive', Retired_Date__c: w.today(-1) });
    const retired = await w.runUntil(() => acmeRetired(w), { what: 'ACME retired' });
    // One poll interval (1 s) and one micro-batch window (200 ms), in steps of 100 ms.
    expect(w.clock.now().getTime() - started).toBeLessThanOrEqual(1_300);
    expect(retired.every((u) => u.expiration_date === w.today(-1))).toBe(true);
    // Only the people of ACME: the contractor outside the scope is untouched.
    const snoopy = (await w.docebo.users()).find((u) => u.username.startsWith('snoopy'));
    expect(snoopy).toMatchObject({ active: true, expiration_date: null });

    const status = await rosterStatus(w);
    expect(status.code).toBe(0);
    const s = status.status;
    expect(s.feeds.map((f) => f.feed)).toEqual(['poll']);
    expect(s.changes.applied).toBeGreaterThanOrEqual(12);

    // Someone reactivates Lucy in Docebo by hand; the reconciliation (triggered through the admin API)
    // reports it as drift and retires her again.
    await w.docebo.seed([
      {
        username: 'lucy.vanpelt@acme.example',
        email: 'lucy.vanpelt@acme.example',
        first_name: 'Lucy',
        last_name: 'van Pelt',
        active: true,
        expiration_date: null,
      },
    ]);
    const before = s.reconcile.lastRun?.at;
    expect((await w.admin<{ accepted: boolean }>('POST', '/admin/reconcile')).body.accepted).toBe(true);
    const run = await w.runUntil(
      async () => {
        const r = (await w.status()).reconcile.lastRun;
        return r && r.at !== before ? r : undefined;
      },
      { what: 'the admin-triggered reconciliation' },
    );
    expect(run).toMatchObject({ changes: 1, driftInDocebo: 1, missedByFeeds: 0 });
    expect((await w.docebo.users()).find((u) => u.username.startsWith('lucy'))?.active).toBe(false);
  });

  it('refuses unauthenticated admin calls and changes nothing', async () => {
    const w = (world = await startServiceWorld(acmeScenario({ otherContacts: 5 })));
    const started = await whenStarted(w);
    await w.docebo.clearCalls();
    for (const [method, path] of [
      ['POST', '/admin/reconcile'],
      ['POST', '/admin/queue/retry'],
      ['GET', '/admin/status'],
    ] as const) {
      const res = await fetch(new URL(path, w.roster.url), {
        method,
        headers: { authorization: 'Bearer wrong-token', 'content-type': 'application/json' },
        body: method === 'POST' ? '{}' : undefined,
      });
      expect(res.status, path).toBe(401);
    }
    await w.runFor(10_000);
    expect((await w.docebo.calls()).filter(isWriteCall)).toEqual([]);
    expect((await w.status()).reconcile.lastRun).toEqual(started.reconcile.lastRun);
    expect((await fetch(new URL('/healthz', w.roster.url))).status).toBe(200);
  });

  it('survives an expired Salesforce session and REQUEST_LIMIT_EXCEEDED: the feed reports it, recovers, and nothing is lost', async () => {
    const w = (world = await startServiceWorld(acmeScenario({ otherContacts: 5 })));
    await whenStarted(w);
    await w.sfAdmin('POST', '/__admin/expire-sessions');
    await w.sfAdmin('POST', '/__admin/faults', {
      respond: [{ status: 403, times: 4, errorCode: 'REQUEST_LIMIT_EXCEEDED', path: '/query' }],
    });
    await w.sfWrite('Contact', w.ids.charlie as string, { Left_Date__c: w.today(-2) });
    const degraded = await w.runUntil(
      async () => {
        const s = await w.status();
        return s.feeds[0]?.consecutiveFailures ? s : undefined;
      },
      { what: 'the poll feed degraded' },
    );
    expect(degraded.feeds[0]?.error).toMatch(/REQUEST_LIMIT_EXCEEDED|limit/i);
    const charlie = await w.runUntil(
      async () => {
        const u = (await w.docebo.users()).find((x) => x.username.startsWith('charlie'));
        return u && !u.active ? u : undefined;
      },
      { what: 'Charlie retired' },
    );
    expect(charlie.expiration_date).toBe(w.today(-2));
    const healthy = await w.runUntil(
      async () => {
        const s = await w.status();
        return s.feeds[0]?.state === 'ok' ? s : undefined;
      },
      { what: 'the poll feed healthy again' },
    );
    expect(healthy.feeds[0]?.consecutiveFailures).toBe(0);
  });
});

describe('roster serve in observe mode (issue #4 §2)', () => {
  it('journals a leaver as observed and writes nothing to Docebo', async () => {
    const w = (world = await startServiceWorld(acmeScenario({ otherContacts: 5 }), {
      yaml: POLL_YAML.replace(
        'adminToken: "${ROSTER_ADMIN_TOKEN}"',
        'adminToken: "${ROSTER_ADMIN_TOKEN}", mode: observe',
      ),
    }));
    await whenStarted(w);
    await w.docebo.clearCalls();

    await w.sfWrite('Contact', w.ids.charlie as string, { Left_Date__c: w.today(-1) });
    const row = await w.runUntil(
      async () => w.journal().find((j) => j.username === 'charlie.brown@acme.example'),
      { what: 'Charlie journaled' },
    );
    expect(row.outcome).toBe('observed');
    expect((await w.docebo.calls()).filter(isWriteCall)).toEqual([]);
    expect((await w.docebo.users()).find((u) => u.username === 'charlie.brown@acme.example')?.active).toBe(
      true,
    );

    const status = await rosterStatus(w);
    expect(status.status).toMatchObject({ mode: 'observe', held: 0 });
    await w.stopRoster();
    expect(w.journal().filter((j) => j.outcome === 'pending')).toEqual([]);
  });
});
