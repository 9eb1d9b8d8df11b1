// The batch import as strictly as the real platform is documented: integer user ids, password resets on
// update unless asked not to, and switches for what the reference leaves open (what an empty expiration
// date does, the shape of per-row results). Also the faults a client must survive around it: an answer
// that cannot be read after the call was carried out, and listings whose pages overlap.
import { afterEach, describe, expect, it } from 'vitest';
import { doceboAdmin } from '../sim-admin.ts';
import { api, rawApi, simulators, user } from './sim-test-kit.ts';

const sims = simulators();
afterEach(sims.closeAll);
const { authed } = sims;

const BATCH = '/manage/v1/user/batch';
const UPDATE = { update_user_info: true, branch_option: 'do_nothing' };
const KEEP_PASSWORDS = { ...UPDATE, ignore_password_change_for_existing_users: true };

async function withIds(opts: Parameters<typeof authed>[0]) {
  const { s, tok } = await authed(opts);
  const admin = doceboAdmin(s.url);
  const ids = Object.fromEntries((await admin.users()).map((u) => [u.username, Number(u.user_id)]));
  const byName = async () => Object.fromEntries((await admin.users()).map((u) => [u.username, u]));
  return { s, tok, admin, ids, byName };
}

describe('Docebo simulator: batch import', () => {
  it('requires branch_option (400, code 1006)', async () => {
    const { s, tok } = await authed({ seedUsers: [user(1)] });
    const res = await api(s.url, tok, 'POST', BATCH, {
      items: [{ username: 'user0001', active: false }],
      options: {},
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      name: 'Bad Request',
      message: ['Required option not set: branch_option'],
      code: 1006,
      status: 400,
    });
  });

  it('answers one result per row, by user_id or username, setting active and expiration_date', async () => {
    const { s, tok, ids, byName } = await withIds({
      seedUsers: [user(1), user(2, { expiration_date: '2030-01-01' })],
    });
    const res = await api(s.url, tok, 'POST', BATCH, {
      items: [
        { user_id: ids.user0001, active: false, expiration_date: '2025-12-31' },
        { username: 'user0002', active: true, expiration_date: '' },
        { user_id: 99999, active: false },
        { user_id: ids.user0001, expiration_date: '31/12/2025' },
      ],
      options: UPDATE,
    });
    expect(res.status).toBe(200);
    expect(
      res.body.data.map((r: { row_index: number; success: boolean }) => [r.row_index, r.success]),
    ).toEqual([
      [0, true],
      [1, true],
      [2, false],
      [3, false],
    ]);
    expect(res.body.data[2].message).toMatch(/not found/);
    const after = await byName();
    expect(after.user0001).toMatchObject({ active: false, expiration_date: '2025-12-31' });
    expect(after.user0002).toMatchObject({ active: true, expiration_date: null });
  });

  it('refuses, row by row, a user_id that is not a JSON integer (listings send it as a string)', async () => {
    const { s, tok, ids, byName } = await withIds({ seedUsers: [user(1), user(2), user(3)] });
    const res = await api(s.url, tok, 'POST', BATCH, {
      items: [
        { user_id: String(ids.user0001), active: false },
        { user_id: (ids.user0002 ?? 0) + 0.5, active: false },
        { user_id: ids.user0003, active: false },
      ],
      options: KEEP_PASSWORDS,
    });
    expect(res.status).toBe(200);
    expect(res.body.data.map((r: { success: boolean }) => r.success)).toEqual([false, false, true]);
    expect(res.body.data[0].message).toMatch(/user_id: expected an integer/);
    const after = await byName();
    expect([after.user0001?.active, after.user0002?.active, after.user0003?.active]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('makes updated users change their password unless ignore_password_change_for_existing_users is set', async () => {
    const { s, tok, ids, byName } = await withIds({ seedUsers: [user(1), user(2)] });
    await api(s.url, tok, 'POST', BATCH, {
      items: [{ user_id: ids.user0001, active: false }],
      options: UPDATE,
    });
    await api(s.url, tok, 'POST', BATCH, {
      items: [{ user_id: ids.user0002, active: false }],
      options: KEEP_PASSWORDS,
    });
    const after = await byName();
    expect(after.user0001).toMatchObject({ active: false, must_change_password: true });
    expect(after.user0002).toMatchObject({ active: false, must_change_password: false });
    const detail = await api(s.url, tok, 'GET', `/manage/v1/user/${ids.user0001}`);
    expect(detail.body.data.user_data.force_change).toBe('1');
  });

  it('reports existing users as errors when update_user_info is off', async () => {
    const { s, tok } = await authed({ seedUsers: [user(1)] });
    const res = await api(s.url, tok, 'POST', BATCH, {
      items: [{ username: 'user0001', active: false }],
      options: { branch_option: 'do_nothing' },
    });
    expect(res.body.data[0]).toMatchObject({ success: false, message: 'User already exists' });
  });

  it('refuses a concurrent batch call while one is in progress', async () => {
    const { s, tok } = await authed({ seedUsers: [user(1)] });
    await doceboAdmin(s.url).setFaults({ latencyMs: 300 });
    const body = { items: [{ username: 'user0001', active: false }], options: UPDATE };
    const [a, b] = await Promise.all([
      api(s.url, tok, 'POST', BATCH, body),
      new Promise((r) => setTimeout(r, 50)).then(() => api(s.url, tok, 'POST', BATCH, body)),
    ]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(409);
    expect(b.body).toMatchObject({ name: 'Conflict', status: 409 });
    // The slot is free again afterwards.
    expect((await api(s.url, tok, 'POST', BATCH, body)).status).toBe(200);
  });
});

describe('Docebo simulator: clearing an expiration date (undocumented, so a switch)', () => {
  const dated = [user(1, { expiration_date: '2025-01-01' }), user(2, { expiration_date: '2025-01-01' })];

  it('clears the date on "" and on null by default', async () => {
    const { s, tok, ids, byName } = await withIds({ seedUsers: dated });
    await api(s.url, tok, 'POST', BATCH, {
      items: [
        { user_id: ids.user0001, expiration_date: '' },
        { user_id: ids.user0002, expiration_date: null },
      ],
      options: KEEP_PASSWORDS,
    });
    const after = await byName();
    expect([after.user0001?.expiration_date, after.user0002?.expiration_date]).toEqual([null, null]);
  });

  it('can ignore "" and refuse null, switched while running', async () => {
    const { s, tok, ids, admin, byName } = await withIds({ seedUsers: dated });
    const quirks = await admin.setQuirks({
      batchEmptyExpiration: 'ignored',
      batchNullExpiration: 'rejected',
    });
    expect(quirks).toMatchObject({ batchEmptyExpiration: 'ignored', batchNullExpiration: 'rejected' });
    const res = await api(s.url, tok, 'POST', BATCH, {
      items: [
        { user_id: ids.user0001, active: true, expiration_date: '' },
        { user_id: ids.user0002, active: true, expiration_date: null },
      ],
      options: KEEP_PASSWORDS,
    });
    // An ignored "" is still a success: nothing tells the client the date stayed.
    expect(res.body.data.map((r: { success: boolean }) => r.success)).toEqual([true, false]);
    const after = await byName();
    expect(after.user0001).toMatchObject({ expiration_date: '2025-01-01', expired: true });
    expect(after.user0002).toMatchObject({ expiration_date: '2025-01-01' });
  });

  it('refuses unknown switches and values of the wrong type', async () => {
    const { admin } = await withIds({});
    await expect(admin.setQuirks({ nope: 1 } as never)).rejects.toThrow(/unknown quirk/);
    await expect(admin.setQuirks({ batchRowShape: 3 } as never)).rejects.toThrow(/must be a string/);
  });
});

describe('Docebo simulator: per-row result shapes', () => {
  const rows = async (shape: 'workato' | 'sparse' | 'arrays') => {
    const { s, tok, ids } = await withIds({ seedUsers: [user(1)], quirks: { batchRowShape: shape } });
    const res = await api(s.url, tok, 'POST', BATCH, {
      items: [
        { user_id: ids.user0001, active: false },
        { user_id: 99999, active: false },
      ],
      options: KEEP_PASSWORDS,
    });
    return { rows: res.body.data as Record<string, unknown>[], id: ids.user0001 };
  };

  it('workato (default): message "" and an output object on success, output.error on failure', async () => {
    const { rows: r, id } = await rows('workato');
    expect(r[0]).toEqual({
      row_index: 0,
      success: true,
      message: '',
      output: { user_id: id, username: 'user0001' },
    });
    expect(r[1]).toMatchObject({
      row_index: 1,
      success: false,
      output: { error: expect.stringMatching(/not found/) },
    });
  });

  it('sparse: success rows without message or output', async () => {
    const { rows: r } = await rows('sparse');
    expect(r[0]).toEqual({ row_index: 0, success: true });
    expect(r[1]).toEqual({ row_index: 1, success: false, message: 'User with id 99999 not found' });
  });

  it('arrays: message always an array, output [] on success and absent on failure', async () => {
    const { rows: r } = await rows('arrays');
    expect(r[0]).toEqual({ row_index: 0, success: true, message: [], output: [] });
    expect(r[1]).toEqual({ row_index: 1, success: false, message: ['User with id 99999 not found'] });
  });
});

describe('Docebo simulator: answers a client cannot read, listings that overlap', () => {
  it('carries a batch out, then cuts its 200 answer off (or sends HTML), the given number of times', async () => {
    const { s, tok, ids, admin, byName } = await withIds({ seedUsers: [user(1), user(2)] });
    await admin.setFaults({
      unreadable: [
        { times: 1, path: BATCH },
        { times: 1, path: BATCH, how: 'html' },
      ],
    });
    const send = (id: number | undefined) =>
      rawApi(s.url, tok, 'POST', BATCH, { items: [{ user_id: id, active: false }], options: KEEP_PASSWORDS });
    const cut = await send(ids.user0001);
    expect(cut.status).toBe(200);
    expect(() => JSON.parse(cut.text)).toThrow();
    const html = await send(ids.user0002);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect((await byName()).user0001?.active).toBe(false);
    expect((await byName()).user0002?.active).toBe(false);
    const third = await send(ids.user0001);
    expect(JSON.parse(third.text).data[0].success).toBe(true);
    expect((await admin.calls()).filter((c) => c.path === BATCH).map((c) => c.status)).toEqual([
      200, 200, 200,
    ]);
  });

  it('repeats the last users of a page at the top of the next one (pageOverlap)', async () => {
    const { s, tok, admin } = await withIds({ seedUsers: Array.from({ length: 5 }, (_, i) => user(i)) });
    await admin.setFaults({ pageOverlap: 1 });
    const page = async (n: number) =>
      (await api(s.url, tok, 'GET', `/manage/v1/user?page=${n}&page_size=2&sort_attr=username&sort_dir=asc`))
        .body.data as { items: { username: string }[]; has_more_data: boolean };
    const pages = [await page(1), await page(2), await page(3)];
    expect(pages.map((p) => p.items.map((i) => i.username))).toEqual([
      ['user0000', 'user0001'],
      ['user0001', 'user0002'],
      ['user0003', 'user0004'],
    ]);
    expect(pages.map((p) => p.has_more_data)).toEqual([true, true, false]);
  });
});
