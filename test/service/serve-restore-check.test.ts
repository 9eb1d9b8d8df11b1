// `roster serve`, in process and in virtual time, when Docebo reports a restore done that did not take:
// ACME comes back, the event path restores its people, and the platform ignored the empty
// expiration_date (the reference does not say what an empty value does). The next reconciliation's
// listing shows it: one alert, a metric and audit records, the first day — and not again after that.
import { afterEach, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import { startAlertReceiver, type AlertReceiver } from '../helpers/alert-receiver.ts';
import { runCliInProcess } from '../helpers/cli.ts';
import {
  ADMIN_TOKEN,
  acmeRetired,
  POLL_YAML,
  startServiceWorld,
  whenStarted,
  type ServiceWorld,
} from '../helpers/service-world.ts';

let world: ServiceWorld | undefined;
let receiver: AlertReceiver | undefined;
afterEach(async () => {
  await world?.stop();
  await receiver?.close();
  world = undefined;
  receiver = undefined;
});

interface RestoreAlert {
  kind: string;
  severity: string;
  summary: string;
  details: {
    type?: string;
    count?: number;
    users?: { username: string; found: { expirationDate: string } }[];
  };
}

const restoreAlerts = (hook: AlertReceiver) =>
  (hook.alerts as unknown as RestoreAlert[]).filter((a) => a.details?.type === 'restore-not-taken');

async function reconcile(w: ServiceWorld): Promise<void> {
  const before = (await w.status()).reconcile.lastRun?.at;
  expect((await w.admin<{ accepted: boolean }>('POST', '/admin/reconcile')).body.accepted).toBe(true);
  await w.runUntil(
    async () => {
      const r = (await w.status()).reconcile.lastRun;
      return r && r.at !== before && r.status !== 'failed' ? r : undefined;
    },
    { what: 'the admin-triggered reconciliation' },
  );
}

const metric = async (w: ServiceWorld) => {
  const text = await (await fetch(new URL('/metrics', w.roster.url))).text();
  const line = text.split('\n').find((l) => l.startsWith('roster_restores_not_taken_total'));
  return line === undefined ? 0 : Number(line.split(' ').pop());
};

/** ACME retired yesterday, then active again: the service restores its people on the event path. */
async function retireThenRestore(w: ServiceWorld) {
  await whenStarted(w);
  await w.sfWrite('Account', w.ids.acme as string, { Status__c: 'Inactive', Retired_Date__c: w.today(-1) });
  const retired = await w.runUntil(() => acmeRetired(w), { what: 'ACME retired' });
  await w.sfWrite('Account', w.ids.acme as string, { Status__c: 'Active', Retired_Date__c: null });
  const usernames = new Set(retired.map((u) => u.username));
  await w.runUntil(
    async () => {
      const acme = (await w.docebo.users()).filter((u) => usernames.has(u.username));
      return acme.every((u) => u.active) ? acme : undefined;
    },
    { what: 'ACME restored' },
  );
  return retired.length;
}

describe('roster serve checks that restores took', () => {
  it('alerts, counts and audits restores Docebo reported done while it kept the expiration date', async () => {
    const hook = (receiver = await startAlertReceiver());
    const w = (world = await startServiceWorld(acmeScenario({ otherContacts: 5 }), {
      yaml: POLL_YAML + `alerts: { webhookUrl: "${hook.url}" }\n`,
    }));
    await w.docebo.setQuirks({ batchEmptyExpiration: 'ignored' });
    const acme = await retireThenRestore(w);
    // Active again, but expired: the empty expiration_date was ignored, and every row said success.
    const stuck = (await w.docebo.users()).filter((u) => u.active && u.expiration_date === w.today(-1));
    expect(stuck).toHaveLength(acme);
    expect(stuck.every((u) => u.expired && !u.must_change_password)).toBe(true);
    expect(restoreAlerts(hook)).toEqual([]);

    // The next listing (here an admin-triggered reconciliation a moment later) checks the restores.
    await w.runFor(1_000);
    await reconcile(w);
    const [alert, ...more] = restoreAlerts(hook);
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ kind: 'drift', severity: 'critical', details: { count: acme } });
    expect(alert?.summary).toMatch(/did not get access back/);
    expect(alert?.summary).toMatch(/docebo\.clearExpirationWith: null/);
    expect(alert?.details.users?.map((u) => u.username).sort()).toEqual(stuck.map((u) => u.username).sort());
    expect(await metric(w)).toBe(acme);
    // The person's history (the audit log) says so too.
    const history = await runCliInProcess(
      ['history', stuck[0]?.username ?? '', '-c', w.configFile, '--json'],
      {
        env: { ROSTER_ADMIN_TOKEN: ADMIN_TOKEN },
      },
    );
    const events = (JSON.parse(history.stdout) as { events: { type: string; kind?: string; via?: string }[] })
      .events;
    const own = events.filter((e) => e.kind === 'restore-not-taken' && e.via === 'person');
    expect(own).toHaveLength(1);
    // The others of ACME show up through the account; each has its own record.
    expect(events.filter((e) => e.kind === 'restore-not-taken')).toHaveLength(acme);

    // Checked once: the next reconciliation does not say it again.
    await w.runFor(1_000);
    await reconcile(w);
    expect(restoreAlerts(hook)).toHaveLength(1);
    expect(await metric(w)).toBe(acme);
  });

  it('says nothing when the restores took', async () => {
    const hook = (receiver = await startAlertReceiver());
    const w = (world = await startServiceWorld(acmeScenario({ otherContacts: 5 }), {
      yaml: POLL_YAML + `alerts: { webhookUrl: "${hook.url}" }\n`,
    }));
    const acme = await retireThenRestore(w);
    const users = await w.docebo.users();
    expect(users.filter((u) => u.active && u.expiration_date === null).length).toBeGreaterThanOrEqual(acme);
    await w.runFor(1_000);
    await reconcile(w);
    expect(restoreAlerts(hook)).toEqual([]);
    expect(await metric(w)).toBe(0);
  });
});
