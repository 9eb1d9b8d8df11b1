// `roster serve` under a Docebo 429 storm, in virtual time: Retry-After waits and the hourly budget
// pass on the shared clock, so a 5,000-user cascade costs seconds of wall time.
import { afterEach, describe, expect, it } from 'vitest';
import { cascadeAndLeaverScenario } from '../../simulators/scenarios/big-account-scenario.ts';
import { isWriteCall } from '../../simulators/sim-admin.ts';
import { startServiceWorld, whenStarted, type ServiceWorld } from '../helpers/service-world.ts';

let world: ServiceWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

describe('roster serve under a Docebo 429 storm', () => {
  it('drains a 5,000-user cascade within the hourly budget, the leaver first', async () => {
    const scenario = cascadeAndLeaverScenario(5000);
    const w = (world = await startServiceWorld(scenario));
    await whenStarted(w);
    await w.docebo.clearCalls();
    await w.docebo.setFaults({
      respond: [{ status: 429, times: 12, retryAfterSeconds: 1, path: '/manage/v1/user/batch' }],
    });
    const started = w.clock.now().getTime();
    await w.sfWrite('Account', w.ids.big as string, { Status__c: 'Inactive', Retired_Date__c: w.today(-1) });
    await w.sfWrite('Contact', w.ids.charlie as string, { Left_Date__c: w.today(-1) });

    await w.runUntil(async () => ((await w.docebo.users()).every((u) => !u.active) ? true : undefined), {
      what: 'every user retired',
      stepMs: 500,
      maxVirtualMs: 3_600_000,
    });
    // Within the hour Docebo allows 1,000 calls in.
    expect(w.clock.now().getTime() - started).toBeLessThan(3_600_000);
    const journal = w.journal().filter((j) => j.outcome === 'applied');
    expect(journal).toHaveLength(5001);
    // The leaver does not wait for the cascade: he goes out in the first round after his change arrives
    // (the two changes reach Roster in the same poll here, so in the first round).
    const charlieAt = journal.findIndex((j) => j.username === 'charlie.brown@acme.example');
    expect(charlieAt).toBeGreaterThanOrEqual(0);
    expect(charlieAt).toBeLessThan(600);
    const calls = await w.docebo.calls();
    expect(calls.filter((c) => c.status === 429)).toHaveLength(12); // only the storm: Roster never caused one
    expect(calls.length).toBeLessThan(1000);
    expect(calls.filter(isWriteCall).length).toBeLessThanOrEqual(Math.ceil(5001 / 100) + 12);
  });
});
