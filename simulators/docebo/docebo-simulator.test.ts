// The simulator speaks Docebo's protocol: envelopes, string ids, paging, limits and faults. The batch
// import, and how strict it is, has its own suite (docebo-batch.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { doceboAdmin } from '../sim-admin.ts';
import { api, simulators, token, user } from './sim-test-kit.ts';

const sims = simulators();
afterEach(sims.closeAll);
const { start, authed } = sims;

describe('Docebo simulator: OAuth2', () => {
  it('issues 40-hex Bearer tokens for client_credentials (no refresh token) and password grants', async () => {
    const s = await start();
    const cc = await token(s.url);
    expect(cc.status).toBe(200);
    expect(cc.body).toMatchObject({ expires_in: 3600, token_type: 'Bearer', scope: 'api' });
    expect(cc.body.access_token).toMatch(/^[0-9a-f]{40}$/);
    expect(cc.body).not.toHaveProperty('refresh_token');

    const pw = await token(s.url, { grant_type: 'password', username: 'admin', password: 'pw' });
    expect(pw.status).toBe(200);
    expect(pw.body.refresh_token).toMatch(/^[0-9a-f]{40}$/);
  });

  it('accepts JSON and multipart bodies too', async () => {
    const s = await start();
    const json = await fetch(`${s.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'a', client_secret: 'b' }),
    });
    expect(json.status).toBe(200);
    const fd = new FormData();
    for (const [k, v] of Object.entries({
      grant_type: 'client_credentials',
      client_id: 'a',
      client_secret: 'b',
    }))
      fd.set(k, v);
    const multi = await fetch(`${s.url}/oauth2/token`, { method: 'POST', body: fd });
    expect(multi.status).toBe(200);
  });

  it('refuses unknown credentials with an OAuth2 error body', async () => {
    const s = await start({ clientId: 'roster', clientSecret: 's3cret' });
    const bad = await token(s.url, { client_id: 'roster', client_secret: 'wrong' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid_client' });
    const good = await token(s.url, { client_id: 'roster', client_secret: 's3cret' });
    expect(good.status).toBe(200);
  });

  it('answers 401 with the error envelope for missing and expired tokens', async () => {
    let now = new Date('2025-06-01T09:00:00Z');
    const { s, tok } = await authed({ now: () => now, tokenTtlSeconds: 60 });
    const missing = await fetch(`${s.url}/manage/v1/user`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ name: 'Unauthorized', status: 401 });
    expect((await api(s.url, tok, 'GET', '/manage/v1/user')).status).toBe(200);
    now = new Date(now.getTime() + 61_000);
    const expired = await api(s.url, tok, 'GET', '/manage/v1/user');
    expect(expired.status).toBe(401);
    expect(expired.body.message).toEqual(['The access token provided has expired']);
  });
});

describe('Docebo simulator: users', () => {
  it('lists with the real envelope, 1-based pages of at most 200 and string ids and flags', async () => {
    const { s, tok } = await authed({ seedUsers: Array.from({ length: 450 }, (_, i) => user(i)) });
    const p1 = await api(
      s.url,
      tok,
      'GET',
      '/manage/v1/user?page=1&page_size=500&get_total_count=1&sort_attr=username&sort_dir=asc',
    );
    expect(p1.status).toBe(200);
    expect(p1.body.version).toBe('1.0.0');
    expect(p1.body._links).toBeInstanceOf(Array);
    expect(p1.body.data).toMatchObject({
      count: 200,
      has_more_data: true,
      current_page: 1,
      current_page_size: 200,
      total_page_count: 3,
      total_count: 450,
    });
    const item = p1.body.data.items[0];
    expect(item).toMatchObject({ username: 'user0000', status: '1', expired: false, expiration_date: null });
    expect(typeof item.user_id).toBe('string');
    const p3 = await api(
      s.url,
      tok,
      'GET',
      '/manage/v1/user?page=3&page_size=200&sort_attr=username&sort_dir=asc',
    );
    expect(p3.body.data).toMatchObject({ count: 50, has_more_data: false, current_page: 3 });
    expect(p3.body.data).not.toHaveProperty('total_count');
    expect(p3.body.data.items.at(-1).username).toBe('user0449');
  });

  it('can refuse page_size above 200 instead of clamping', async () => {
    const { s, tok } = await authed({ quirks: { pageSizeOverMax: 'error' } });
    expect((await api(s.url, tok, 'GET', '/manage/v1/user?page_size=201')).status).toBe(400);
  });

  it('searches with match_type=full and shows field_N additional fields', async () => {
    const { s, tok } = await authed({
      seedUsers: [
        user(1, { email: 'jane@acme.com', fields: { field_3: '003000000000001AAA' } }),
        user(2, { email: 'jane@acme.com.au' }),
      ],
    });
    const contains = await api(s.url, tok, 'GET', '/manage/v1/user?search_text=jane@acme.com');
    expect(contains.body.data.items).toHaveLength(2);
    const full = await api(s.url, tok, 'GET', '/manage/v1/user?search_text=JANE@acme.com&match_type=full');
    expect(full.body.data.items).toHaveLength(1);
    expect(full.body.data.items[0].field_3).toBe('003000000000001AAA');
  });

  it('shows a single user with valid/expiration and 404s an unknown one', async () => {
    const { s, tok } = await authed({
      seedUsers: [user(1, { active: false, expiration_date: '2030-01-31' })],
    });
    const [one] = (await api(s.url, tok, 'GET', '/manage/v1/user')).body.data.items;
    const detail = await api(s.url, tok, 'GET', `/manage/v1/user/${one.user_id}`);
    expect(detail.body.data.user_data).toMatchObject({
      username: 'user0001',
      valid: 0,
      expiration: '2030-01-31',
    });
    const missing = await api(s.url, tok, 'GET', '/manage/v1/user/999999');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ name: 'Not Found', status: 404 });
  });

  it('creates, updates and changes status', async () => {
    const { s, tok } = await authed();
    const created = await api(s.url, tok, 'POST', '/manage/v1/user', {
      userid: 'new.one',
      email: 'n@x.io',
      firstname: 'N',
      lastname: 'O',
    });
    expect(created.body.data.success).toBe(true);
    const id = created.body.data.user_id;
    const dup = await api(s.url, tok, 'POST', '/manage/v1/user', { userid: 'new.one' });
    expect(dup.status).toBe(200);
    expect(dup.body.data.success).toBe(false);
    const put = await api(s.url, tok, 'PUT', `/manage/v1/user/${id}`, { expiration: '2031-02-03' });
    expect(put.body.data).toMatchObject({ success: true, updated_id: id });
    const cs = await api(s.url, tok, 'PUT', '/manage/v1/user/change_status', {
      user_ids: [String(id), 4242],
      status: '0',
    });
    expect(cs.body.data).toEqual({ success: true, updated_ids: [id], not_updated_ids: [4242] });
    const me = (await doceboAdmin(s.url).users()).find((u) => u.username === 'new.one');
    expect(me).toMatchObject({ active: false, expiration_date: '2031-02-03' });
    const mass = await api(s.url, tok, 'PUT', '/manage/v1/user/mass_edit', {
      user_ids: [id],
      expiration: '',
    });
    expect(mass.body.data[0]).toMatchObject({ success: true, updated_id: id });
  });

  it('expires users by the clock: expired in listings, status untouched, change_status refused', async () => {
    const { s, tok } = await authed({
      now: () => new Date('2025-06-01T09:00:00Z'),
      tokenTtlSeconds: 10 * 86_400,
      seedUsers: [user(1, { expiration_date: '2025-06-03' })],
    });
    const admin = doceboAdmin(s.url);
    let [item] = (await api(s.url, tok, 'GET', '/manage/v1/user')).body.data.items;
    expect(item).toMatchObject({ expired: false, status: '1', expiration_date: '2025-06-03' });
    await admin.setClock({ advanceDays: 2 });
    [item] = (await api(s.url, tok, 'GET', '/manage/v1/user')).body.data.items;
    expect(item).toMatchObject({ expired: true, status: '1' });
    expect((await admin.users())[0]).toMatchObject({ expired: true });
    const cs = await api(s.url, tok, 'PUT', '/manage/v1/user/change_status', {
      user_ids: [item.user_id],
      status: 0,
    });
    expect(cs.body.data.not_updated_ids).toEqual([Number(item.user_id)]);
  });
});

describe('Docebo simulator: limits and faults', () => {
  it('rate-limits with a leaky bucket (429) that drains over the hour', async () => {
    let now = new Date('2025-06-01T09:00:00Z');
    const { s, tok } = await authed({ callsPerHour: 5, now: () => now, quirks: { retryAfterOn429: true } });
    // The token call took one unit.
    for (let i = 0; i < 4; i++) expect((await api(s.url, tok, 'GET', '/manage/v1/user')).status).toBe(200);
    const limited = await api(s.url, tok, 'GET', '/manage/v1/user');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ name: 'Too Many Requests', status: 429 });
    expect(Number(limited.headers.get('retry-after'))).toBe(720);
    now = new Date(now.getTime() + 720_000);
    expect((await api(s.url, tok, 'GET', '/manage/v1/user')).status).toBe(200);
  });

  it('sends no Retry-After by default', async () => {
    const { s, tok } = await authed({ callsPerHour: 1 });
    const limited = await api(s.url, tok, 'GET', '/manage/v1/user');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeNull();
  });

  it('scripts 429/503 responses by path prefix, with Retry-After', async () => {
    const { s, tok } = await authed();
    const admin = doceboAdmin(s.url);
    await admin.setFaults({
      respond: [{ status: 503, times: 2, path: '/manage/v1/user', retryAfterSeconds: 3 }],
    });
    const first = await api(s.url, tok, 'GET', '/manage/v1/user');
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('3');
    expect((await api(s.url, tok, 'GET', '/manage/v1/user')).status).toBe(503);
    expect((await api(s.url, tok, 'GET', '/manage/v1/user')).status).toBe(200);
    await admin.setFaults({ respond: [{ status: 429, times: 1 }] });
    await admin.clearFaults();
    expect((await api(s.url, tok, 'GET', '/manage/v1/user')).status).toBe(200);
  });

  it('fails every Nth batch row and named usernames', async () => {
    const { s, tok } = await authed({ seedUsers: Array.from({ length: 6 }, (_, i) => user(i)) });
    await doceboAdmin(s.url).setFaults({ failEveryNthRow: 3, failUsernames: ['USER0000'] });
    const res = await api(s.url, tok, 'POST', '/manage/v1/user/batch', {
      items: Array.from({ length: 6 }, (_, i) => ({ username: user(i).username, active: false })),
      options: { update_user_info: true, branch_option: 'do_nothing' },
    });
    expect(res.body.data.map((r: { success: boolean }) => r.success)).toEqual([
      false,
      true,
      false,
      true,
      true,
      false,
    ]);
  });

  it('logs every API call in order without query strings, and never admin calls', async () => {
    const s = await start({ seedUsers: [user(1)] });
    const admin = doceboAdmin(s.url);
    const t = await token(s.url);
    await api(s.url, t.body.access_token as string, 'GET', '/manage/v1/user?page=1&page_size=10');
    await fetch(`${s.url}/manage/v1/user`);
    const expected = [
      { method: 'POST', path: '/oauth2/token', status: 200 },
      { method: 'GET', path: '/manage/v1/user', status: 200 },
      { method: 'GET', path: '/manage/v1/user', status: 401 },
    ];
    expect(await admin.calls()).toEqual(expected);
    expect(s.calls()).toEqual(expected);
    await admin.clearCalls();
    expect(await admin.calls()).toEqual([]);
  });

  it('tells onCall of every API call as it arrives, before it is answered, and never of admin calls', async () => {
    const seen: { method: string; path: string; status: number }[] = [];
    const s = await start({ onCall: (c) => seen.push({ ...c }) });
    await doceboAdmin(s.url).users();
    const t = await token(s.url);
    await api(s.url, t.body.access_token as string, 'GET', '/manage/v1/user?page=1');
    expect(seen).toEqual([
      { method: 'POST', path: '/oauth2/token', status: 0 },
      { method: 'GET', path: '/manage/v1/user', status: 0 },
    ]);
    expect(s.calls().map((c) => c.status)).toEqual([200, 200]);
  });

  it('seeds through the admin surface and returns ids by username', async () => {
    const s = await start();
    const admin = doceboAdmin(s.url);
    const { ids } = await admin.seed([{ ...user(7), expiration_date: '2099-01-01' }]);
    expect(ids.user0007).toMatch(/^\d+$/);
    expect(await admin.users()).toEqual([
      expect.objectContaining({
        user_id: ids.user0007,
        username: 'user0007',
        active: true,
        expiration_date: '2099-01-01',
        expired: false,
        fields: {},
      }),
    ]);
  });
});
