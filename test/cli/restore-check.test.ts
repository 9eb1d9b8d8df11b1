// `roster apply` against a Docebo that reports a restore done while ignoring its empty expiration_date
// (what an empty value does is not documented): the next listing shows the restore did not take, the
// CLI warns, the configured webhook is alerted — and with docebo.clearExpirationWith: null on a platform
// that honours null, the restore takes. The CLI in-process against the simulators over real HTTP.
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import { startAlertReceiver, type AlertReceiver } from '../helpers/alert-receiver.ts';
import { startWorld, todayUtc, type World } from '../helpers/e2e-world.ts';

let world: World | undefined;
let hook: AlertReceiver | undefined;
afterEach(async () => {
  await world?.stop();
  await hook?.close();
  world = undefined;
  hook = undefined;
});

const restoreAlerts = (h: AlertReceiver) =>
  (h.alerts as unknown as { kind: string; details?: { type?: string; count?: number } }[]).filter(
    (a) => a.details?.type === 'restore-not-taken',
  );

/** ACME retired five days ago by one apply, and back (restored) by the next. */
async function retireAndRestore(w: World): Promise<string[]> {
  await w.sf.update('Account', w.ids.acme as string, {
    Status__c: 'Inactive',
    Retired_Date__c: todayUtc(-5),
  });
  const retire = await w.roster('apply', ['--yes']);
  expect(retire.code, retire.stderr).toBe(0);
  await w.sf.update('Account', w.ids.acme as string, { Status__c: 'Active', Retired_Date__c: null });
  const restore = await w.roster('apply', ['--yes', '--json']);
  expect(restore.code, restore.stderr).toBe(0);
  const run = JSON.parse(restore.stdout) as { plan: { items: { username: string; action?: string }[] } };
  const restored = run.plan.items.filter((i) => i.action === 'restore').map((i) => i.username);
  expect(restored.length).toBeGreaterThan(0);
  return restored;
}

describe('a restore Docebo reported done but did not take', () => {
  it('is found by the next listing: roster apply warns and the webhook is alerted, once', async () => {
    hook = await startAlertReceiver();
    const w = (world = await startWorld(acmeScenario({ otherContacts: 10 }), {
      docebo: { quirks: { batchEmptyExpiration: 'ignored' } },
      extraYaml: `alerts: { webhookUrl: "${hook.url}" }\n`,
    }));
    const restored = await retireAndRestore(w);
    const users = (await w.docebo.users()).filter((u) => restored.includes(u.username));
    expect(users.every((u) => u.active && u.expiration_date === todayUtc(-5) && u.expired)).toBe(true);
    expect(restoreAlerts(hook)).toEqual([]);

    const next = await w.roster('apply', ['--yes']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain(`Warning: ${restored.length} earlier restore(s) did not take in Docebo`);
    expect(next.stderr).toContain('docebo.clearExpirationWith: null');
    expect(next.stderr).toContain(`expires ${todayUtc(-5)}`);
    expect(restoreAlerts(hook)).toMatchObject([{ kind: 'drift', details: { count: restored.length } }]);

    const again = await w.roster('apply', ['--yes']);
    expect(again.stderr).not.toContain('did not take');
    expect(restoreAlerts(hook)).toHaveLength(1);
  });

  it('takes with docebo.clearExpirationWith: null where the platform clears on null', async () => {
    const w = (world = await startWorld(acmeScenario({ otherContacts: 10 }), {
      docebo: { quirks: { batchEmptyExpiration: 'ignored', batchNullExpiration: 'clears' } },
    }));
    const yaml = await readFile(w.configFile, 'utf8');
    await writeFile(
      w.configFile,
      yaml.replace('  timezone: UTC\n', '  timezone: UTC\n  clearExpirationWith: null\n'),
    );
    const restored = await retireAndRestore(w);
    const users = (await w.docebo.users()).filter((u) => restored.includes(u.username));
    expect(users.every((u) => u.active && u.expiration_date === null && !u.expired)).toBe(true);
    const next = await w.roster('apply', ['--yes']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).not.toContain('did not take');
  });
});
