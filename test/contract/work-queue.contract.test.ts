// Over 300 lines on purpose: one port's contract, one suite.
// The Store contract for the service's state — work queue, feed checkpoints, Docebo user cache,
// links from the event path, call log — run like state-store.contract.test.ts against a real SQLite file
// and a real PostgreSQL database. Each test gets an empty store of its own.
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/dates.ts';
import type { RosterErrorData } from '../../src/domain/errors.ts';
import { doceboUserId } from '../../src/domain/ids.ts';
import type { LmsUser } from '../../src/domain/lms.ts';
import type { DirtyKey, DirtyKind, DirtySource, FeedDelivery, Job } from '../../src/domain/work.ts';
import type { Store } from '../../src/ports/store.ts';
import { describeEachStore } from '../helpers/describe-each-store.ts';
import { expectCode } from '../helpers/expect-code.ts';
import { contactKey, link } from '../helpers/store-fixtures.ts';

const BASE = Date.parse('2025-06-01T09:00:00.000Z');
/** The instant `m` minutes after the tests' epoch. */
const at = (m: number): string => new Date(BASE + m * 60_000).toISOString();

const ACME = '001000000000001AAA';
const accountKey = (n: number): string => `001000000000${String(n).padStart(3, '0')}AAA`;

const key = (kind: DirtyKind, id: string, source: DirtySource = 'poll'): DirtyKey => ({ kind, id, source });
const keys = (...k: DirtyKey[]): FeedDelivery => ({ keys: k });

const boom: RosterErrorData = {
  code: 'ROSTER_DOCEBO_UNAVAILABLE',
  message: 'Docebo is down',
  retryable: true,
};

const user = (n: number, over: Partial<LmsUser> = {}): LmsUser => ({
  id: doceboUserId(`${n}`),
  username: `user${n}`,
  email: n % 2 === 0 ? `user${n}@example.com` : null,
  firstName: `First${n}`,
  lastName: `Last${n}`,
  active: true,
  expirationDate: null,
  expired: false,
  fields: { field_3: contactKey(n), field_4: null },
  ...over,
});

describeEachStore('WorkQueue, user cache and call log', (target) => {
  let store: Store;
  const fresh = async () => {
    store = await target.open();
  };

  const claimAll = (now: string, limit = 100) =>
    store.queue.claim({ now, limit, leaseUntil: new Date(Date.parse(now) + 600_000).toISOString() });

  describe('enqueue', () => {
    it('coalesces a thousand marks of one account into one job', async () => {
      await fresh();
      for (let i = 0; i < 1_000; i++) {
        const result = await store.queue.enqueue(
          keys(key('account', ACME, i % 2 ? 'cdc' : 'poll')),
          at(i % 7),
        );
        expect(result).toEqual({ queued: 1, duplicates: [] });
      }
      const jobs = await store.queue.list({});
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({
        kind: 'account',
        key: ACME,
        priority: 1,
        status: 'queued',
        attempts: 0,
        nextAttemptAt: at(0),
        sources: ['poll', 'cdc'],
        firstQueuedAt: at(0),
        lastError: null,
      } satisfies Partial<Job>);
    });

    it('coalesces concurrent marks of one key from two writers', async () => {
      await fresh();
      const other = target.concurrentInstances ? await target.open() : store;
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? other : store).queue.enqueue(
            keys(key('account', ACME, i % 2 ? 'cdc' : 'poll'), key('contact', contactKey(i))),
            at(0),
          ),
        ),
      );
      expect(results.every((r) => r.queued === 2)).toBe(true);
      const jobs = await store.queue.list({ status: 'queued' });
      expect(jobs).toHaveLength(41);
      expect(jobs.filter((j) => j.key === ACME).map((j) => j.sources.sort())).toEqual([['cdc', 'poll']]);
    });

    it('coalesces duplicate keys within one delivery and counts distinct keys', async () => {
      await fresh();
      const result = await store.queue.enqueue(
        keys(
          key('contact', contactKey(1), 'cdc'),
          key('account', ACME, 'cdc'),
          key('contact', contactKey(1), 'outbound'),
          key('contact', contactKey(2)),
          // The same id as another kind is another key.
          key('account', contactKey(2)),
        ),
        at(0),
      );
      expect(result).toEqual({ queued: 4, duplicates: [] });
      const jobs = await store.queue.list({ status: 'queued' });
      expect(jobs.map((j) => [j.kind, j.key, j.priority, j.sources])).toEqual([
        ['contact', contactKey(1), 0, ['cdc', 'outbound']],
        ['contact', contactKey(2), 0, ['poll']],
        ['account', ACME, 1, ['cdc']],
        ['account', contactKey(2), 1, ['poll']],
      ]);
    });

    it('accepts a delivery with no keys and stores its checkpoint', async () => {
      await fresh();
      expect(await store.queue.checkpoint('poll')).toBeNull();
      const state = { since: '2025-06-01T08:00:00.000Z', ids: ['a', 'b'], n: 3, ok: true };
      expect(await store.queue.enqueue({ keys: [], checkpoint: { feed: 'poll', state } }, at(0))).toEqual({
        queued: 0,
        duplicates: [],
      });
      expect(await store.queue.checkpoint('poll')).toEqual(state);
      await store.queue.enqueue(
        { keys: [], checkpoint: { feed: 'cdc', state: { replayId: 'AAA=' } } },
        at(1),
      );
      await store.queue.enqueue(
        { keys: [key('account', ACME)], checkpoint: { feed: 'poll', state: 42 } },
        at(2),
      );
      expect(await store.queue.checkpoint('poll')).toBe(42);
      expect(await store.queue.checkpoint('cdc')).toEqual({ replayId: 'AAA=' });
      expect(await store.queue.checkpoint('outbound')).toBeNull();
    });

    it('makes a backed-off job due now when its key is marked again', async () => {
      await fresh();
      await store.queue.enqueue(keys(key('contact', contactKey(1))), at(0));
      const [job] = await claimAll(at(0));
      expect(
        await store.queue.fail(job!.id, boom, { nextAttemptAt: at(30), maxAttempts: 5, now: at(1) }),
      ).toBe('queued');
      expect(await claimAll(at(2))).toEqual([]);
      await store.queue.enqueue(keys(key('contact', contactKey(1), 'cdc')), at(3));
      const [again] = await store.queue.list({});
      expect(again).toMatchObject({
        id: job!.id,
        attempts: 1,
        nextAttemptAt: at(3),
        sources: ['poll', 'cdc'],
      });
      expect((await claimAll(at(3))).map((j) => j.id)).toEqual([job!.id]);
    });

    it('queues a second job for a key marked while its job runs, claimable once the first is done', async () => {
      await fresh();
      await store.queue.enqueue(keys(key('account', ACME)), at(0));
      const [running] = await claimAll(at(0));
      expect(await store.queue.enqueue(keys(key('account', ACME, 'cdc')), at(1))).toEqual({
        queued: 1,
        duplicates: [],
      });
      await store.queue.enqueue(keys(key('account', ACME, 'outbound')), at(2));
      const jobs = await store.queue.list({});
      expect(jobs.map((j) => [j.status, j.sources])).toEqual([
        ['queued', ['cdc', 'outbound']],
        ['running', ['poll']],
      ]);
      // The successor waits: run side by side, the first could overwrite the newer facts.
      expect(await claimAll(at(3))).toEqual([]);
      await store.queue.complete([running!.id]);
      const [next] = await claimAll(at(4));
      expect(next).toMatchObject({ key: ACME, status: 'running', sources: ['cdc', 'outbound'] });
      expect(next!.id).not.toBe(running!.id);
    });

    it('revives a dead job when its key is marked again', async () => {
      await fresh();
      await store.queue.enqueue(keys(key('account', ACME)), at(0));
      const [job] = await claimAll(at(0));
      expect(
        await store.queue.fail(job!.id, boom, { nextAttemptAt: at(5), maxAttempts: 1, now: at(1) }),
      ).toBe('dead');
      await store.queue.enqueue(keys(key('account', ACME, 'cdc')), at(10));
      const jobs = await store.queue.list({});
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({
        id: job!.id,
        status: 'queued',
        attempts: 0,
        nextAttemptAt: at(5),
        sources: ['poll', 'cdc'],
      });
      expect(await claimAll(at(10))).toHaveLength(1);
    });

    it('drops deliveries seen before, records the new ids and queues nothing when all were seen', async () => {
      await fresh();
      const delivery = (ids: string[], n: number): FeedDelivery => ({
        keys: [key('contact', contactKey(n), 'outbound')],
        dedupe: { source: 'outbound', ids },
      });
      expect(await store.queue.enqueue(delivery(['m1', 'm2', 'm1'], 1), at(0))).toEqual({
        queued: 1,
        duplicates: [],
      });
      await store.queue.complete((await claimAll(at(0))).map((j) => j.id));

      expect(await store.queue.enqueue(delivery(['m2', 'm1'], 1), at(1))).toEqual({
        queued: 0,
        duplicates: ['m2', 'm1'],
      });
      expect(await store.queue.list({})).toEqual([]);

      // Partly new: the keys are queued and only the old ids reported.
      expect(await store.queue.enqueue(delivery(['m2', 'm3'], 2), at(2))).toEqual({
        queued: 1,
        duplicates: ['m2'],
      });
      expect((await store.queue.list({})).map((j) => j.key)).toEqual([contactKey(2)]);
      // Ids are per source.
      const other: FeedDelivery = {
        keys: [key('contact', contactKey(3))],
        dedupe: { source: 'cdc', ids: ['m1'] },
      };
      expect(await store.queue.enqueue(other, at(3))).toEqual({ queued: 1, duplicates: [] });
    });

    it('stores neither keys, dedupe ids nor checkpoint when any part fails (one transaction)', async () => {
      await fresh();
      await store.queue.enqueue({ keys: [], checkpoint: { feed: 'outbound', state: 'before' } }, at(0));
      const dedupe = { source: 'outbound' as const, ids: ['m1', 'm2'] };
      const checkpoint = { feed: 'outbound' as const, state: 'after' };
      const bogusKind = key('nonsense' as DirtyKind, ACME);

      const e = await expectCode(
        store.queue.enqueue({ keys: [key('contact', contactKey(1)), bogusKind], dedupe, checkpoint }, at(1)),
        'ROSTER_INTERNAL',
      );
      expect(e.message).toContain('enqueue');
      // A checkpoint that cannot be stored (JSON.stringify(undefined)) fails after the keys were written.
      await expectCode(
        store.queue.enqueue(
          {
            keys: [key('contact', contactKey(1))],
            dedupe,
            checkpoint: { feed: 'outbound', state: undefined },
          },
          at(2),
        ),
        'ROSTER_INTERNAL',
      );

      expect(await store.queue.list({})).toEqual([]);
      expect(await store.queue.checkpoint('outbound')).toBe('before');
      expect(
        await store.queue.enqueue({ keys: [key('contact', contactKey(1))], dedupe, checkpoint }, at(3)),
      ).toEqual({
        queued: 1,
        duplicates: [],
      });
      expect(await store.queue.checkpoint('outbound')).toBe('after');
    });
  });

  describe('claim', () => {
    it('claims due jobs, contacts before accounts, then by due time and age, up to the limit', async () => {
      await fresh();
      await store.queue.enqueue(keys(key('account', accountKey(1)), key('account', accountKey(2))), at(0));
      await store.queue.enqueue(keys(key('contact', contactKey(1))), at(1));
      await store.queue.enqueue(keys(key('contact', contactKey(2))), at(2));
      await store.queue.enqueue(keys(key('account', accountKey(3))), at(3));
      // Back off contact 1 past the others.
      const [c1] = await store.queue.claim({ now: at(1), limit: 1, leaseUntil: at(20) });
      expect(c1!.key).toBe(contactKey(1));
      await store.queue.fail(c1!.id, boom, { nextAttemptAt: at(4), maxAttempts: 5, now: at(3) });

      expect(await claimAll(at(-1))).toEqual([]);
      const first = await store.queue.claim({ now: at(5), limit: 3, leaseUntil: at(15) });
      expect(first.map((j) => [j.kind, j.key])).toEqual([
        ['contact', contactKey(2)],
        ['contact', contactKey(1)],
        ['account', accountKey(1)],
      ]);
      expect(first.every((j) => j.status === 'running' && j.updatedAt === at(5))).toBe(true);
      const rest = await claimAll(at(5));
      expect(rest.map((j) => j.key)).toEqual([accountKey(2), accountKey(3)]);
      expect(await claimAll(at(6))).toEqual([]);
      expect(await store.queue.claim({ now: at(6), limit: 0, leaseUntil: at(7) })).toEqual([]);
      expect((await store.queue.stats(at(6))).running).toBe(5);
    });

    it('never hands one job to two concurrent claimers (two store instances on one database)', async () => {
      await fresh();
      const other = await target.open();
      const many = Array.from({ length: 60 }, (_, i) =>
        key(i % 3 === 0 ? 'account' : 'contact', i % 3 === 0 ? accountKey(i) : contactKey(i)),
      );
      await store.queue.enqueue({ keys: many }, at(0));
      const claimers = [store, other, store, other, store, other, store, other];
      const claimed: Job[] = [];
      // A claimer may come back short (a row another took between its snapshot and its lock): keep going.
      for (let round = 0; round < 20 && claimed.length < 60; round++) {
        const results = await Promise.all(
          claimers.map((s) => s.queue.claim({ now: at(1), limit: 3, leaseUntil: at(10) })),
        );
        expect(results.every((r) => r.length <= 3)).toBe(true);
        claimed.push(...results.flat());
      }
      const ids = claimed.map((j) => j.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(60);
      expect(await store.queue.list({ status: 'queued' })).toEqual([]);
    });
  });

  describe('complete, fail and leases', () => {
    it('completes running jobs only', async () => {
      await fresh();
      await store.queue.enqueue(keys(key('contact', contactKey(1)), key('contact', contactKey(2))), at(0));
      const [a] = await store.queue.claim({ now: at(0), limit: 1, leaseUntil: at(10) });
      const queued = (await store.queue.list({ status: 'queued' }))[0]!;
      await store.queue.complete([a!.id, queued.id, 9_999]);
      expect((await store.queue.list({})).map((j) => j.id)).toEqual([queued.id]);
      await store.queue.complete([]);
    });

    it('backs off a failed job and makes it dead at maxAttempts, keeping the last error', async () => {
      await fresh();
      await store.queue.enqueue(keys(key('contact', contactKey(1))), at(0));
      let now = 0;
      const outcomes: string[] = [];
      for (let attempt = 1; attempt <= 3; attempt++) {
        const [job] = await claimAll(at(now));
        expect(job).toMatchObject({ attempts: attempt - 1, status: 'running' });
        const error = { ...boom, message: `failure ${attempt}` };
        outcomes.push(
          await store.queue.fail(job!.id, error, {
            nextAttemptAt: at(now + 10),
            maxAttempts: 3,
            now: at(now + 1),
          }),
        );
        expect(await claimAll(at(now + 9))).toEqual([]);
        now += 10;
      }
      expect(outcomes).toEqual(['queued', 'queued', 'dead']);
      const [dead] = await store.queue.list({ status: 'dead' });
      expect(dead).toMatchObject({
        status: 'dead',
        attempts: 3,
        lastError: { ...boom, message: 'failure 3' },
        updatedAt: at(21),
      });
      expect(await claimAll(at(1_000))).toEqual([]);
      expect(await store.queue.stats(at(1_000))).toMatchObject({ queued: 0, dead: 1, running: 0 });
    });

    it('refuses to fail a job that is not running', async () => {
      await fresh();
      await store.queue.enqueue(keys(key('contact', contactKey(1))), at(0));
      const [job] = await store.queue.list({});
      const opts = { nextAttemptAt: at(5), maxAttempts: 3, now: at(1) };
      await expectCode(store.queue.fail(job!.id, boom, opts), 'ROSTER_STORE_CONFLICT');
      await expectCode(store.queue.fail(12_345, boom, opts), 'ROSTER_STORE_CONFLICT');
      expect((await store.queue.list({}))[0]).toEqual(job);
    });

    it('merges a failed job into the successor queued for its key', async () => {
      await fresh();
      await store.queue.enqueue(keys(key('account', ACME)), at(0));
      const [first] = await claimAll(at(0));
      await store.queue.enqueue(keys(key('account', ACME, 'cdc')), at(2));
      expect(
        await store.queue.fail(first!.id, boom, { nextAttemptAt: at(30), maxAttempts: 1, now: at(3) }),
      ).toBe('queued');
      const jobs = await store.queue.list({});
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({
        status: 'queued',
        attempts: 0,
        nextAttemptAt: at(2),
        sources: ['cdc', 'poll'],
        firstQueuedAt: at(0),
        lastError: boom,
      });
    });

    it('releases expired leases back to the queue, and only those', async () => {
      await fresh();
      await store.queue.enqueue(keys(key('contact', contactKey(1)), key('contact', contactKey(2))), at(0));
      await store.queue.claim({ now: at(0), limit: 1, leaseUntil: at(5) });
      await store.queue.claim({ now: at(0), limit: 1, leaseUntil: at(20) });
      expect(await store.queue.releaseExpiredLeases(at(5))).toBe(0);
      expect(await store.queue.releaseExpiredLeases(at(6))).toBe(1);
      expect((await store.queue.list({ status: 'queued' })).map((j) => [j.key, j.attempts])).toEqual([
        [contactKey(1), 0],
      ]);
      expect((await store.queue.list({ status: 'running' })).map((j) => j.key)).toEqual([contactKey(2)]);
      expect(await store.queue.releaseExpiredLeases(at(21))).toBe(1);
      expect((await claimAll(at(22))).map((j) => j.key)).toEqual([contactKey(1), contactKey(2)]);
    });

    it('merges a job whose lease expired into the successor queued for its key', async () => {
      await fresh();
      await store.queue.enqueue(keys(key('account', ACME)), at(0));
      await store.queue.claim({ now: at(0), limit: 1, leaseUntil: at(5) });
      await store.queue.enqueue(keys(key('account', ACME, 'outbound')), at(3));
      expect(await store.queue.releaseExpiredLeases(at(6))).toBe(1);
      const jobs = await store.queue.list({});
      expect(jobs.map((j) => [j.status, j.nextAttemptAt, j.sources, j.firstQueuedAt])).toEqual([
        ['queued', at(0), ['outbound', 'poll'], at(0)],
      ]);
    });
  });

  describe('dead jobs, listing and stats', () => {
    const kill = async (n: number, now: number) => {
      await store.queue.enqueue(keys(key('contact', contactKey(n))), at(now));
      const [job] = await claimAll(at(now));
      await store.queue.fail(job!.id, boom, { nextAttemptAt: at(now + 1), maxAttempts: 1, now: at(now) });
      return job!.id;
    };

    it('revives dead jobs by id or all of them, with attempts reset', async () => {
      await fresh();
      const a = await kill(1, 0);
      const b = await kill(2, 1);
      const c = await kill(3, 2);
      expect(await store.queue.reviveDead(at(10), [b, 9_999])).toBe(1);
      expect(await store.queue.reviveDead(at(10), [])).toBe(0);
      expect(
        (await store.queue.list({ status: 'queued' })).map((j) => [j.id, j.attempts, j.nextAttemptAt]),
      ).toEqual([[b, 0, at(10)]]);
      expect(await store.queue.reviveDead(at(11))).toBe(2);
      expect((await store.queue.list({ status: 'queued' })).map((j) => j.id)).toEqual([b, a, c]);
      expect(await store.queue.reviveDead(at(12))).toBe(0);
    });

    it('lists queued jobs in claim order, the others newest first, filtered and limited', async () => {
      await fresh();
      const dead = await kill(9, 0);
      await store.queue.enqueue(keys(key('account', accountKey(1))), at(1));
      await store.queue.enqueue(keys(key('contact', contactKey(1))), at(2));
      await store.queue.enqueue(keys(key('account', accountKey(2))), at(3));
      const queued = await store.queue.list({ status: 'queued' });
      expect(queued.map((j) => j.key)).toEqual([contactKey(1), accountKey(1), accountKey(2)]);
      expect((await store.queue.list({ status: 'queued', limit: 2 })).map((j) => j.key)).toEqual([
        contactKey(1),
        accountKey(1),
      ]);
      const all = await store.queue.list({});
      expect(all.map((j) => j.id)).toEqual([...all.map((j) => j.id)].sort((x, y) => y - x));
      expect(all).toHaveLength(4);
      expect((await store.queue.list({ status: 'dead' })).map((j) => j.id)).toEqual([dead]);
      expect(await store.queue.list({ limit: 0 })).toEqual([]);
    });

    it('counts jobs per status, the ready ones and the oldest queued', async () => {
      await fresh();
      expect(await store.queue.stats(at(0))).toEqual({
        queued: 0,
        ready: 0,
        running: 0,
        dead: 0,
        oldestQueuedAt: null,
      });
      await kill(9, 0);
      await store.queue.enqueue(keys(key('contact', contactKey(1))), at(1));
      await store.queue.enqueue(keys(key('contact', contactKey(2)), key('contact', contactKey(3))), at(2));
      await store.queue.enqueue(keys(key('account', ACME)), at(3));
      const [running] = await store.queue.claim({ now: at(3), limit: 1, leaseUntil: at(30) });
      expect(running!.key).toBe(contactKey(1));
      const [backedOff] = await store.queue.claim({ now: at(3), limit: 1, leaseUntil: at(30) });
      await store.queue.fail(backedOff!.id, boom, { nextAttemptAt: at(60), maxAttempts: 5, now: at(4) });
      expect(await store.queue.stats(at(5))).toEqual({
        queued: 3,
        ready: 2,
        running: 1,
        dead: 1,
        oldestQueuedAt: at(2),
      });
      expect((await store.queue.stats(at(60))).ready).toBe(3);
    });
  });

  describe('Docebo user cache', () => {
    it('replaces the whole cache, lists it with its refresh time and records written states', async () => {
      await fresh();
      expect(await store.users.list()).toEqual({ users: [], refreshedAt: null });
      const many = Array.from({ length: 1_234 }, (_, i) => user(i + 1));
      await store.users.replace(many, at(0));
      const listed = await store.users.list();
      expect(listed.refreshedAt).toBe(at(0));
      expect(listed.users).toHaveLength(1_234);
      expect(listed.users.find((u) => u.id === '2')).toEqual(user(2));
      expect(listed.users.find((u) => u.id === '3')).toEqual(user(3));

      const retired = { active: false, expirationDate: '2025-05-31' as IsoDate };
      await store.users.updateAccess([
        ...['1', '2', '3'].map((id) => ({ userId: id, state: retired })),
        { userId: '4', state: { active: true, expirationDate: '2026-01-01' as IsoDate } },
        { userId: 'unknown', state: retired },
      ]);
      const after = new Map((await store.users.list()).users.map((u) => [u.id as string, u]));
      expect(after.size).toBe(1_234);
      expect(after.get('2')).toEqual(user(2, retired));
      expect(after.get('3')).toEqual(user(3, retired));
      expect(after.get('4')).toEqual(user(4, { expirationDate: '2026-01-01' as IsoDate }));
      expect(after.get('5')).toEqual(user(5));
      expect(after.has('unknown')).toBe(false);

      await store.users.replace([user(7, { expired: true, active: false, fields: {} })], at(60));
      expect(await store.users.list()).toEqual({
        users: [user(7, { expired: true, active: false, fields: {} })],
        refreshedAt: at(60),
      });
      await store.users.replace([], at(61));
      expect(await store.users.list()).toEqual({ users: [], refreshedAt: at(61) });
    });

    it('adds or replaces links of some contacts and keeps the others', async () => {
      await fresh();
      await store.links.replace([link(1), link(2), link(3)]);
      await store.links.upsert([link(2, 'u20'), link(4)]);
      expect(await store.links.list()).toEqual([link(1), link(2, 'u20'), link(3), link(4)]);
      await store.links.upsert([]);
      const many = Array.from({ length: 700 }, (_, i) => link(i, `v${i}`));
      await store.links.upsert([...many, link(5, 'last')]);
      const listed = await store.links.list();
      expect(listed).toHaveLength(700);
      expect(listed.find((l) => l.contactId === link(5).contactId)?.userId).toBe('last');
    });
  });

  describe('call log', () => {
    it('returns calls since an instant, oldest first, and prunes what is older than two hours', async () => {
      await fresh();
      expect(await store.calls.recent('docebo', at(0))).toEqual([]);
      await store.calls.record('docebo', [at(2), at(0), at(1), at(1)]);
      await store.calls.record('docebo', []);
      expect(await store.calls.recent('docebo', at(0))).toEqual([at(0), at(1), at(1), at(2)]);
      expect(await store.calls.recent('docebo', at(1))).toEqual([at(1), at(1), at(2)]);
      expect(await store.calls.recent('docebo', at(3))).toEqual([]);

      await store.calls.record('docebo', [at(121)]);
      // Only the recent window matters; at(0) is more than two hours before the newest call.
      expect(await store.calls.recent('docebo', at(-60))).toEqual([at(1), at(1), at(2), at(121)]);
      await store.calls.record('docebo', [at(200)]);
      expect(await store.calls.recent('docebo', at(-60))).toEqual([at(121), at(200)]);
    });
  });
});
