// The LmsTarget contract, continued: batch rows as Docebo documents them, against a simulator as strict
// as the platform (integer user ids, password resets on update, per-row result shapes the reference
// leaves open, answers that cannot be read, listings whose pages overlap, an address nobody answers).
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isRosterError } from '../../src/domain/errors.ts';
import { doceboUserId } from '../../src/domain/ids.ts';
import type { LmsChange } from '../../src/domain/lms.ts';
import {
  batchCalls,
  caught,
  closeDoceboWorlds,
  doceboTargetWorld as world,
  restore,
  retire,
  seedUser,
} from '../helpers/docebo-target-world.ts';

afterEach(closeDoceboWorlds);

const users = (n: number) => Array.from({ length: n }, (_, i) => seedUser(i));

describe('LmsTarget contract: batch rows as documented', () => {
  it('names users by an integer user_id and never makes them change their password', async () => {
    const w = await world({ users: users(3) });
    const outcomes = await w.write(users(3).map((u) => retire(w, u.username, '2025-06-30')));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const after = await w.admin.users();
    expect(after.every((u) => !u.active && u.expiration_date === '2025-06-30')).toBe(true);
    expect(after.map((u) => u.must_change_password)).toEqual([false, false, false]);
  });

  it('does not send a row for an id that is not an integer, and says why', async () => {
    const w = await world({ users: users(1) });
    const odd: LmsChange = { ...retire(w, seedUser(0).username, '2025-06-30'), userId: doceboUserId('u-17') };
    const outcomes = await w.write([odd, retire(w, seedUser(0).username, '2025-06-30')]);
    expect(outcomes[0]).toMatchObject({ ok: false, error: { code: 'ROSTER_DOCEBO_BAD_RESPONSE' } });
    expect(outcomes[0]?.ok === false && outcomes[0].error.message).toMatch(/batchIdentifyBy: username/);
    expect(outcomes[1]).toMatchObject({ ok: true });
    expect(await batchCalls(w)).toHaveLength(1);
  });

  for (const shape of ['workato', 'sparse', 'arrays'] as const) {
    it(`reads per-row results leniently (${shape} rows: success and failure)`, async () => {
      const w = await world({ users: users(2), sim: { quirks: { batchRowShape: shape } } });
      const ghost = { ...retire(w, seedUser(0).username, '2025-06-30'), userId: doceboUserId('999999') };
      const outcomes = await w.write([
        retire(w, seedUser(0).username, '2025-06-30'),
        ghost,
        retire(w, seedUser(1).username, '2025-06-30'),
      ]);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
      const failed = outcomes[1];
      expect(failed?.ok === false && failed.error.code).toBe('ROSTER_DOCEBO_REJECTED');
      expect(failed?.ok === false && failed.error.message).toMatch(/999999 not found/);
      expect(failed?.ok === false && failed.unconfirmed).toBeFalsy();
    });
  }
});

describe('LmsTarget contract: clearing an expiration date', () => {
  const expired = () => [seedUser(0, { active: false, expiration_date: '2025-05-01' })];

  it('a platform that ignores "" reports success while the date stays: only a listing shows it', async () => {
    const w = await world({ users: expired(), sim: { quirks: { batchEmptyExpiration: 'ignored' } } });
    const outcomes = await w.write([restore(w, seedUser(0).username, '2025-05-01')]);
    expect(outcomes).toEqual([{ userId: w.ids[seedUser(0).username], ok: true }]);
    expect((await w.target.listUsers())[0]).toMatchObject({
      active: true,
      expirationDate: '2025-05-01',
      expired: true,
    });
  });

  it('sends null instead when configured (clearExpirationWith: null)', async () => {
    const w = await world({
      users: expired(),
      sim: { quirks: { batchEmptyExpiration: 'ignored', batchNullExpiration: 'clears' } },
      target: { clearExpirationWith: null },
    });
    expect((await w.write([restore(w, seedUser(0).username, '2025-05-01')]))[0]?.ok).toBe(true);
    expect((await w.target.listUsers())[0]).toMatchObject({
      active: true,
      expirationDate: null,
      expired: false,
    });
  });

  it('a platform that refuses null fails the row visibly', async () => {
    const w = await world({
      users: expired(),
      sim: { quirks: { batchNullExpiration: 'rejected' } },
      target: { clearExpirationWith: null },
    });
    const [outcome] = await w.write([restore(w, seedUser(0).username, '2025-05-01')]);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'ROSTER_DOCEBO_REJECTED' } });
  });
});

describe('LmsTarget contract: an answer that cannot be read', () => {
  for (const how of ['truncated', 'html'] as const) {
    it(`never sends a batch again after a 2xx (${how} answer): its rows come back unconfirmed`, async () => {
      const w = await world({ users: users(2) });
      await w.admin.setFaults({ unreadable: [{ times: 1, path: '/manage/v1/user/batch', how }] });
      const outcomes = await w.write(users(2).map((u) => retire(w, u.username, '2025-06-30')));
      expect(outcomes).toHaveLength(2);
      for (const o of outcomes) {
        expect(o).toMatchObject({
          ok: false,
          unconfirmed: true,
          error: { code: 'ROSTER_DOCEBO_BAD_RESPONSE' },
        });
        expect(o.ok === false && o.error.message).toContain('POST /manage/v1/user/batch');
      }
      expect((await batchCalls(w)).map((c) => c.status)).toEqual([200]);
      // Docebo did carry it out: settling against its state (the executor's job) finds it applied.
      expect((await w.admin.users()).every((u) => !u.active)).toBe(true);
      expect(w.clock.sleeps).toEqual([]);
    });
  }

  it('reads a listing page again after an unreadable answer (a GET changes nothing)', async () => {
    const w = await world({ users: users(3) });
    await w.admin.setFaults({ unreadable: [{ times: 1, path: '/manage/v1/user' }] });
    expect(await w.target.listUsers()).toHaveLength(3);
    expect((await w.admin.calls()).filter((c) => c.method === 'GET')).toHaveLength(2);
  });
});

describe('LmsTarget contract: listings and connections', () => {
  it('counts a user listed on two pages once', async () => {
    const w = await world({ users: users(450) });
    await w.admin.setFaults({ pageOverlap: 3 });
    const progress: number[] = [];
    const listed = await w.target.listUsers((fetched) => progress.push(fetched));
    expect(listed).toHaveLength(450);
    expect(new Set(listed.map((u) => u.id)).size).toBe(450);
    expect(progress).toEqual([200, 397, 450]);
  });

  it('reports a refused connection as such, naming docebo.baseUrl, not as "HTTP 503"', async () => {
    const port = await closedPort();
    const w = await world({
      users: users(1),
      target: { baseUrl: `http://127.0.0.1:${port}`, maxRetries: 2 },
    });
    const e = await caught(w.target.listUsers());
    expect(isRosterError(e) && e.code).toBe('ROSTER_DOCEBO_UNREACHABLE');
    const message = (e as Error).message;
    expect(message).toContain(`http://127.0.0.1:${port} (docebo.baseUrl)`);
    expect(message).toContain('connection refused (ECONNREFUSED)');
    expect(message).toContain('3 attempts');
    expect(message).not.toMatch(/HTTP 503/);
    expect(isRosterError(e) && e.action).toMatch(/docebo\.baseUrl/);
    const outcomes = await w.write([retire(w, seedUser(0).username, '2025-06-30')]);
    expect(outcomes[0]).toMatchObject({ ok: false, error: { code: 'ROSTER_DOCEBO_UNREACHABLE' } });
  });
});

/** A loopback port nothing listens on: bound, read, released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}
