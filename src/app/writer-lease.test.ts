// The writer lease in virtual time over an in-memory lease store: renewed on the clock, refused or
// waited for when someone else holds it, fenced once lost, handed over at once when released.
import { describe, expect, it } from 'vitest';
import { settle, TestClock } from '../../test/helpers/test-clock.ts';
import type { Lease, LeaseClaimant, LeaseStore } from '../ports/lease-store.ts';
import { WRITER_LEASE, WriterLease } from './writer-lease.ts';

class MemoryLeases implements LeaseStore {
  lease: Lease | null = null;
  failing = false;
  renewals = 0;
  async acquire(name: string, c: LeaseClaimant, now: string, ttlMs: number) {
    if (this.failing) throw new Error('store down');
    const free = !this.lease || this.lease.expiresAt <= now || this.lease.id === c.id;
    if (free)
      this.lease = {
        ...c,
        name,
        acquiredAt: this.lease?.id === c.id ? this.lease.acquiredAt : now,
        renewedAt: now,
        expiresAt: new Date(Date.parse(now) + ttlMs).toISOString(),
      };
    return { acquired: this.lease?.id === c.id, lease: this.lease as Lease };
  }
  async renew(_name: string, id: string, now: string, ttlMs: number) {
    if (this.failing) throw new Error('store down');
    this.renewals += 1;
    if (this.lease?.id !== id) return false;
    this.lease = {
      ...this.lease,
      renewedAt: now,
      expiresAt: new Date(Date.parse(now) + ttlMs).toISOString(),
    };
    return true;
  }
  async release(_name: string, id: string) {
    if (this.lease?.id === id) this.lease = null;
  }
  async get() {
    return this.lease;
  }
}

const TTL = 15_000;
function writer(leases: LeaseStore, clock: TestClock, id: string, onLost?: () => void) {
  return new WriterLease({
    leases,
    clock,
    claimant: { id, host: `host-${id}`, pid: 1, role: id === 'serve' ? 'serve' : 'apply' },
    ttlMs: TTL,
    ...(onLost ? { onLost } : {}),
  });
}

describe('WriterLease', () => {
  it('renews every third of its time while held, and releases at once', async () => {
    const clock = new TestClock();
    const leases = new MemoryLeases();
    const a = writer(leases, clock, 'a');
    await a.acquireOrWait({ wait: false });
    await clock.tick(60_000);
    expect(leases.renewals).toBe(12);
    expect(a.held).toBe(true);
    await a.fence();
    await a.release();
    expect(leases.lease).toBeNull();
    expect(clock.pending()).toBe(0);
  });

  it('refuses while another holds it, naming the holder, or waits until it is released', async () => {
    const clock = new TestClock();
    const leases = new MemoryLeases();
    const serve = writer(leases, clock, 'serve');
    await serve.acquireOrWait({ wait: false });
    const apply = writer(leases, clock, 'apply');
    await expect(apply.acquireOrWait({ wait: false })).rejects.toMatchObject({
      code: 'ROSTER_WRITER_BUSY',
      message: expect.stringContaining('roster serve on host-serve (pid 1)'),
    });
    const seen: string[] = [];
    const waiting = apply.acquireOrWait({ wait: true, onWaiting: (l) => seen.push(l.id) });
    await settle();
    await clock.tick(3000);
    expect(apply.held).toBe(false);
    await serve.release();
    await clock.tick(1000);
    await waiting;
    expect(apply.held).toBe(true);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(new Set(seen)).toEqual(new Set(['serve']));
  });

  it('once taken over by another, renewal fails: it reports the loss once and the fence stops writes', async () => {
    const clock = new TestClock();
    const leases = new MemoryLeases();
    let losses = 0;
    const a = writer(leases, clock, 'a', () => (losses += 1));
    await a.acquireOrWait({ wait: false });
    // The process froze: its renewals did not run and its lease ran out; another took it.
    clock.advance(TTL + 1);
    const b = writer(leases, clock, 'b');
    await b.acquireOrWait({ wait: false });
    await expect(a.fence()).rejects.toMatchObject({ code: 'ROSTER_WRITER_LOST' });
    await clock.tick(TTL);
    expect(losses).toBe(1);
    expect(a.held).toBe(false);
    expect(b.held).toBe(true);
  });

  it('past its time but still its own (a long pause, nobody took it), the fence renews instead of stopping', async () => {
    const clock = new TestClock();
    const leases = new MemoryLeases();
    const a = writer(leases, clock, 'a');
    await a.acquireOrWait({ wait: false });
    clock.advance(TTL * 4);
    await expect(a.fence()).resolves.toBeUndefined();
    expect(a.held).toBe(true);
  });

  it('keeps what is left of the lease while the store does not answer, and stops writing when it ran out', async () => {
    const clock = new TestClock();
    const leases = new MemoryLeases();
    let losses = 0;
    const a = writer(leases, clock, 'a', () => (losses += 1));
    await a.acquireOrWait({ wait: false });
    leases.failing = true;
    await clock.tick(10_000);
    expect(a.held).toBe(true);
    await clock.tick(10_000);
    expect(a.held).toBe(false);
    expect(losses).toBe(1);
    await expect(a.fence()).rejects.toMatchObject({ code: 'ROSTER_WRITER_LOST' });
    expect(leases.lease?.name).toBe(WRITER_LEASE);
  });
});
