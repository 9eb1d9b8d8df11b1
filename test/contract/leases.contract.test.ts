// The LeaseStore contract on a real SQLite file and a real PostgreSQL database: one holder at a time,
// renewed while it works, taken over only once it ran out, handed over at once when released.
import { expect, it } from 'vitest';
import type { LeaseClaimant } from '../../src/ports/lease-store.ts';
import { describeEachStore } from '../helpers/describe-each-store.ts';

const WRITER = 'docebo-writer';
const TTL = 15_000;
const at = (s: number) => new Date(Date.parse('2026-12-02T09:00:00.000Z') + s * 1000).toISOString();
const claimant = (id: string, role = 'serve'): LeaseClaimant => ({ id, host: `host-${id}`, pid: 100, role });

describeEachStore('LeaseStore', (target) => {
  it('gives a free lease to the first claimant and names the holder to the next', async () => {
    const s = await target.open();
    expect(await s.leases.get(WRITER)).toBeNull();
    const a = await s.leases.acquire(WRITER, claimant('a'), at(0), TTL);
    expect(a).toMatchObject({
      acquired: true,
      lease: { id: 'a', host: 'host-a', role: 'serve', acquiredAt: at(0) },
    });
    expect(a.lease.expiresAt).toBe(at(15));
    const b = await s.leases.acquire(WRITER, claimant('b', 'apply'), at(5), TTL);
    expect(b).toMatchObject({ acquired: false, lease: { id: 'a', host: 'host-a', acquiredAt: at(0) } });
  });

  it('renews only for its holder, and keeps when it was first taken', async () => {
    const s = await target.open();
    await s.leases.acquire(WRITER, claimant('a'), at(0), TTL);
    expect(await s.leases.renew(WRITER, 'a', at(10), TTL)).toBe(true);
    expect(await s.leases.renew(WRITER, 'b', at(10), TTL)).toBe(false);
    // Asking again for a lease we hold renews it.
    const again = await s.leases.acquire(WRITER, claimant('a'), at(20), TTL);
    expect(again).toMatchObject({
      acquired: true,
      lease: { acquiredAt: at(0), renewedAt: at(20), expiresAt: at(35) },
    });
    // Renewed at 20 s: at 30 s it is still a's.
    expect((await s.leases.acquire(WRITER, claimant('b'), at(30), TTL)).acquired).toBe(false);
  });

  it('is taken over once it ran out; the old holder can no longer renew it', async () => {
    const s = await target.open();
    await s.leases.acquire(WRITER, claimant('a'), at(0), TTL);
    expect((await s.leases.acquire(WRITER, claimant('b'), at(14), TTL)).acquired).toBe(false);
    const b = await s.leases.acquire(WRITER, claimant('b'), at(15), TTL);
    expect(b).toMatchObject({ acquired: true, lease: { id: 'b', acquiredAt: at(15) } });
    expect(await s.leases.renew(WRITER, 'a', at(16), TTL)).toBe(false);
  });

  it('released, it is free at once; a release by someone else changes nothing', async () => {
    const s = await target.open();
    await s.leases.acquire(WRITER, claimant('a'), at(0), TTL);
    await s.leases.release(WRITER, 'b');
    expect((await s.leases.get(WRITER))?.id).toBe('a');
    await s.leases.release(WRITER, 'a');
    expect(await s.leases.get(WRITER)).toBeNull();
    expect((await s.leases.acquire(WRITER, claimant('b'), at(1), TTL)).acquired).toBe(true);
  });

  it('of many claimants asking at once, exactly one wins', async () => {
    const stores = target.concurrentInstances
      ? await Promise.all(Array.from({ length: 4 }, () => target.open()))
      : [await target.open()];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (stores[i % stores.length] as (typeof stores)[number]).leases.acquire(
          WRITER,
          claimant(`c${i}`),
          at(0),
          TTL,
        ),
      ),
    );
    const winners = results.filter((r) => r.acquired).map((r) => r.lease.id);
    expect(winners).toHaveLength(1);
    expect(results.every((r) => r.lease.id === winners[0])).toBe(true);
  });
});

describeEachStore('ReconcileRequests', (target) => {
  const summary = { runId: 'run-1', status: 'succeeded', changes: 2, applied: 2, failed: 0, held: 0 };

  it('a request waits until the service claims it, and one run finishes all it claimed', async () => {
    const s = await target.open();
    await s.requests.add({ id: 'r1', by: 'roster apply on host-a (pid 1)', at: at(0) });
    await s.requests.add({ id: 'r2', by: 'roster apply on host-b (pid 2)', at: at(1) });
    expect(await s.requests.get('r1')).toMatchObject({ status: 'waiting', result: null, requestedAt: at(0) });
    expect(await s.requests.claimWaiting()).toEqual(['r1', 'r2']);
    expect(await s.requests.claimWaiting()).toEqual([]);
    await s.requests.add({ id: 'r3', by: 'x', at: at(2) });
    await s.requests.finish(['r1', 'r2'], summary, at(30));
    expect(await s.requests.get('r2')).toMatchObject({ status: 'done', finishedAt: at(30), result: summary });
    expect(await s.requests.get('r3')).toMatchObject({ status: 'waiting' });
    expect(await s.requests.get('nope')).toBeNull();
  });
});
