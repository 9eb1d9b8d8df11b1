// The LmsTarget contract, run against DoceboLmsTarget talking real HTTP to the Docebo simulator. Batch
// rows as documented (integer ids, lenient per-row results, answers that cannot be read, clearing dates)
// are in lms-target-rows.contract.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { isoDateOf, type IsoDate } from '../../src/domain/dates.ts';
import { isRosterError } from '../../src/domain/errors.ts';
import { doceboUserId } from '../../src/domain/ids.ts';
import type { LmsChange } from '../../src/domain/lms.ts';
import { isWriteCall } from '../../simulators/sim-admin.ts';
import {
  batchCalls,
  caught,
  closeDoceboWorlds,
  doceboTargetWorld as world,
  retire,
  SECRET,
  seedUser,
} from '../helpers/docebo-target-world.ts';

const PASSWORD = 'hunter2-password';
const HOUR = 3_600_000;

afterEach(closeDoceboWorlds);

describe('LmsTarget contract: DoceboLmsTarget on the Docebo simulator', () => {
  describe('listUsers', () => {
    it('pages through more than 200 users, 200 at a time, and maps them', async () => {
      const users = Array.from({ length: 450 }, (_, i) =>
        seedUser(
          i,
          i === 3
            ? { active: false, expiration_date: '2025-05-01', fields: { field_3: '0035g00000AbCdEAAV' } }
            : {},
        ),
      );
      const w = await world({ users });
      const progress: [number, number | null][] = [];
      const listed = await w.target.listUsers((f, t) => progress.push([f, t]));
      expect(listed).toHaveLength(450);
      expect(new Set(listed.map((u) => u.id)).size).toBe(450);
      expect(progress).toEqual([
        [200, 450],
        [400, 450],
        [450, 450],
      ]);
      const three = listed.find((u) => u.username === seedUser(3).username);
      expect(three).toEqual({
        id: w.ids[seedUser(3).username],
        username: seedUser(3).username,
        email: 'learner3@example.com',
        firstName: 'First3',
        lastName: 'Last3',
        active: false,
        expirationDate: '2025-05-01',
        expired: true,
        fields: { field_3: '0035g00000AbCdEAAV' },
      });
      const gets = (await w.admin.calls()).filter((c) => c.method === 'GET');
      expect(gets).toHaveLength(3);
    });

    it('reads "0000-00-00" as no expiration date', async () => {
      const w = await world({ users: [seedUser(1)], sim: { quirks: { emptyDate: 'zero' } } });
      const [u] = await w.target.listUsers();
      expect(u).toMatchObject({ expirationDate: null, expired: false, active: true });
    });

    it('names the call in its error and keeps retrying within maxRetries', async () => {
      const w = await world({ users: [seedUser(1)], target: { maxRetries: 2 } });
      await w.admin.setFaults({ respond: [{ status: 503, times: 10, path: '/manage/v1/user' }] });
      const e = await caught(w.target.listUsers());
      expect(isRosterError(e) && e.code).toBe('ROSTER_DOCEBO_UNAVAILABLE');
      expect((e as Error).message).toContain('GET /manage/v1/user');
      expect((e as Error).message).not.toContain(SECRET);
      expect((await w.admin.calls()).filter((c) => c.status === 503)).toHaveLength(3);
    });
  });

  describe("writeBatch (through the executor's batching loop)", () => {
    it('writes in ⌈n/batchSize⌉ sequential batch calls and returns one outcome per change', async () => {
      const users = Array.from({ length: 250 }, (_, i) => seedUser(i));
      const w = await world({ users });
      const changes = users.map((u) => retire(w, u.username, '2025-06-30'));
      const progress: number[] = [];
      const outcomes = await w.write(changes, (done) => progress.push(done));
      expect(outcomes).toHaveLength(250);
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(outcomes.map((o) => o.userId)).toEqual(changes.map((c) => c.userId));
      expect(await batchCalls(w)).toHaveLength(3);
      expect((await w.admin.calls()).filter(isWriteCall)).toHaveLength(3);
      expect(progress).toEqual([100, 200, 250]);
      const after = await w.admin.users();
      expect(after.every((u) => !u.active && u.expiration_date === '2025-06-30')).toBe(true);
    });

    it('identifies rows by username when configured, and clears expiration dates', async () => {
      const w = await world({
        users: [seedUser(1, { active: false, expiration_date: '2025-01-01' })],
        target: { batchIdentifyBy: 'username' },
        batchSize: 10,
      });
      const username = seedUser(1).username;
      const outcomes = await w.write([
        {
          userId: doceboUserId(w.ids[username] as string),
          username,
          before: { active: false, expirationDate: '2025-01-01' as IsoDate },
          after: { active: true, expirationDate: null },
        },
      ]);
      expect(outcomes).toEqual([{ userId: w.ids[username], ok: true }]);
      expect((await w.admin.users())[0]).toMatchObject({
        active: true,
        expiration_date: null,
        expired: false,
      });
    });

    it('returns per-row failures as data (failEveryNthRow)', async () => {
      const users = Array.from({ length: 10 }, (_, i) => seedUser(i));
      const w = await world({ users, batchSize: 4 });
      await w.admin.setFaults({ failEveryNthRow: 4 });
      const outcomes = await w.write(users.map((u) => retire(w, u.username, '2025-06-30')));
      const failed = outcomes.filter((o) => !o.ok);
      expect(outcomes).toHaveLength(10);
      expect(failed.map((o) => o.userId)).toEqual([w.ids[users[3]!.username], w.ids[users[7]!.username]]);
      for (const f of failed) {
        if (f.ok) continue;
        expect(f.error.code).toBe('ROSTER_DOCEBO_REJECTED');
        expect(f.error.message).toContain('POST /manage/v1/user/batch');
      }
      expect(await batchCalls(w)).toHaveLength(3);
    });

    it('reports a user Docebo does not know as a failed row, not a thrown error', async () => {
      const w = await world({ users: [seedUser(1)] });
      const ghost: LmsChange = {
        ...retire(w, seedUser(1).username, '2025-06-30'),
        userId: doceboUserId('999999'),
      };
      const outcomes = await w.write([retire(w, seedUser(1).username, '2025-06-30'), ghost]);
      expect(outcomes[0]).toEqual({ userId: w.ids[seedUser(1).username], ok: true });
      expect(outcomes[1]).toMatchObject({
        userId: '999999',
        ok: false,
        error: { code: 'ROSTER_DOCEBO_REJECTED' },
      });
    });

    it('retries 429s and honours Retry-After', async () => {
      const users = [seedUser(1), seedUser(2)];
      const w = await world({ users });
      await w.admin.setFaults({
        respond: [{ status: 429, times: 2, retryAfterSeconds: 7, path: '/manage/v1/user/batch' }],
      });
      const outcomes = await w.write(users.map((u) => retire(w, u.username, '2025-06-30')));
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(w.clock.sleeps.filter((ms) => ms === 7000)).toHaveLength(2);
      expect((await batchCalls(w)).map((c) => c.status)).toEqual([429, 429, 200]);
    });

    it('backs off with jitter on 503 without Retry-After', async () => {
      const w = await world({ users: [seedUser(1)] });
      await w.admin.setFaults({ respond: [{ status: 503, times: 3, path: '/manage/v1/user/batch' }] });
      const outcomes = await w.write([retire(w, seedUser(1).username, '2025-06-30')]);
      expect(outcomes[0]?.ok).toBe(true);
      // random() = 0.5 → half of 1 s, 2 s, 4 s.
      expect(w.clock.sleeps).toEqual([500, 1000, 2000]);
    });

    it('fails every row of a batch that keeps failing, and carries on with the next batch', async () => {
      const users = Array.from({ length: 4 }, (_, i) => seedUser(i));
      const w = await world({ users, batchSize: 2, target: { maxRetries: 1 } });
      await w.admin.setFaults({ respond: [{ status: 503, times: 2, path: '/manage/v1/user/batch' }] });
      const outcomes = await w.write(users.map((u) => retire(w, u.username, '2025-06-30')));
      expect(outcomes.map((o) => o.ok)).toEqual([false, false, true, true]);
      const first = outcomes[0];
      expect(first?.ok === false && first.error.code).toBe('ROSTER_DOCEBO_UNAVAILABLE');
      expect(first?.ok === false && first.error.message).toContain('POST /manage/v1/user/batch');
      expect(first?.ok === false && first.error.retryable).toBe(true);
    });

    it('refreshes the token once on 401 and carries on', async () => {
      const w = await world({ users: [seedUser(1)] });
      await w.target.listUsers();
      await w.admin.clearCalls();
      await fetch(`${w.url}/__admin/tokens`, { method: 'DELETE' });
      const outcomes = await w.write([retire(w, seedUser(1).username, '2025-06-30')]);
      expect(outcomes[0]?.ok).toBe(true);
      expect(await w.admin.calls()).toEqual([
        { method: 'POST', path: '/manage/v1/user/batch', status: 401 },
        { method: 'POST', path: '/oauth2/token', status: 200 },
        { method: 'POST', path: '/manage/v1/user/batch', status: 200 },
      ]);
    });

    it('throws ROSTER_DOCEBO_AUTH before any write when the credentials are wrong, without the secret', async () => {
      const w = await world({ users: [seedUser(1)], target: { clientSecret: 'wrong-secret-value' } });
      const e = await caught(w.target.writeBatch([retire(w, seedUser(1).username, '2025-06-30')]));
      expect(isRosterError(e) && e.code).toBe('ROSTER_DOCEBO_AUTH');
      expect((e as Error).message).toContain('POST /oauth2/token');
      expect((e as Error).message).not.toContain('wrong-secret-value');
      expect((e as Error).message).not.toContain(SECRET);
      expect(await batchCalls(w)).toHaveLength(0);
    });

    it('never runs two batch calls at once, even for concurrent callers', async () => {
      const users = Array.from({ length: 6 }, (_, i) => seedUser(i));
      const w = await world({ users, batchSize: 1 });
      await w.admin.setFaults({ latencyMs: 30 });
      const [a, b] = await Promise.all([
        w.write(users.slice(0, 3).map((u) => retire(w, u.username, '2025-06-30'))),
        w.write(users.slice(3).map((u) => retire(w, u.username, '2025-06-30'))),
      ]);
      expect([...a, ...b].every((o) => o.ok)).toBe(true);
      expect((await batchCalls(w)).map((c) => c.status)).toEqual([200, 200, 200, 200, 200, 200]);
    });

    it('never exceeds the call budget: a small callsPerHour spreads calls over virtual hours without a 429', async () => {
      const users = Array.from({ length: 12 }, (_, i) => seedUser(i));
      const w = await world({ users, callsPerHour: 5, sim: { callsPerHour: 5 }, batchSize: 1 });
      const start = w.clock.now().getTime();
      const outcomes = await w.write(users.map((u) => retire(w, u.username, '2025-06-30')));
      expect(outcomes.every((o) => o.ok)).toBe(true);
      const calls = await w.admin.calls();
      expect(calls.filter((c) => c.status === 429)).toHaveLength(0);
      expect(calls.filter((c) => c.path === '/manage/v1/user/batch')).toHaveLength(12);
      // Tokens live an hour: the client fetched new ones as virtual hours passed.
      expect(calls.filter((c) => c.path === '/oauth2/token').length).toBeGreaterThan(1);
      expect(w.budget.spent()).toBe(calls.length);
      expect(w.clock.now().getTime() - start).toBeGreaterThan(2 * HOUR);
    });
  });

  describe('checkAccess', () => {
    it('reports a working token and listing, without secrets', async () => {
      const w = await world({ users: [seedUser(1)] });
      const checks = await w.target.checkAccess();
      expect(checks.map((c) => c.ok)).toEqual([true, true, true]);
      expect(checks[1]?.detail).toContain('1 users visible');
      expect(JSON.stringify(checks)).not.toContain(SECRET);
    });

    it('checks the level of the API user with the password grant', async () => {
      const w = await world({
        users: [seedUser(1)],
        target: { grant: 'password', username: seedUser(1).username, password: PASSWORD },
      });
      const checks = await w.target.checkAccess();
      expect(checks.map((c) => c.ok)).toEqual([true, true, false]);
      expect(checks[2]?.detail).toContain('superadmin');
      expect(JSON.stringify(checks)).not.toContain(PASSWORD);
    });

    it('fails the token check with bad credentials, without secrets', async () => {
      const w = await world({ target: { clientSecret: 'another-wrong-secret' } });
      const checks = await w.target.checkAccess();
      expect(checks).toHaveLength(1);
      expect(checks[0]).toMatchObject({ ok: false });
      expect(checks[0]?.detail).toContain('ROSTER_DOCEBO_AUTH');
      expect(JSON.stringify(checks)).not.toContain('another-wrong-secret');
    });
  });

  it('uses the simulator clock for expiry: a retired user becomes expired once the date is reached', async () => {
    const w = await world({ users: [seedUser(1)] });
    const today = isoDateOf(w.clock.now());
    await w.write([retire(w, seedUser(1).username, '2025-06-03')]);
    expect(today).toBe('2025-06-01');
    expect((await w.target.listUsers())[0]).toMatchObject({ expired: false, active: false });
    w.clock.advance(2 * 86_400_000);
    expect((await w.target.listUsers())[0]).toMatchObject({ expired: true, expirationDate: '2025-06-03' });
  });
});
