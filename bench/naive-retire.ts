// The naive strategy the benchmark compares Roster against: what a simple integration recipe does —
// read the Docebo users once, then one update call per user to retire (PUT /manage/v1/user/{id}).
// Generous to the naive side: a real recipe usually also looks each user up by email (one more call
// per user) and needs change_status for the active flag (one more again).
// Usage: tsx bench/naive-retire.ts <doceboUrl> <emailDomain> <YYYY-MM-DD>
const [baseUrl, domain, date] = process.argv.slice(2) as [string, string, string];
if (!new URL(baseUrl).hostname.startsWith('127.')) throw new Error('the benchmark talks to loopback only');

async function call(method: string, path: string, token: string | null, body?: unknown): Promise<unknown> {
  const res = await fetch(new URL(path, baseUrl), {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}`);
  return res.json();
}

const tokenRes = await fetch(new URL('/oauth2/token', baseUrl), {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'naive', client_secret: 'naive' }),
});
const token = ((await tokenRes.json()) as { access_token: string }).access_token;

const ids: string[] = [];
for (let page = 1; ; page++) {
  const res = (await call('GET', `/manage/v1/user?page=${page}&page_size=200`, token)) as {
    data: { items: { user_id: string | number; email: string }[]; has_more_data: boolean };
  };
  for (const u of res.data.items) if (u.email?.endsWith(`@${domain}`)) ids.push(String(u.user_id));
  if (!res.data.has_more_data) break;
}
for (const id of ids) await call('PUT', `/manage/v1/user/${id}`, token, { expiration: date, valid: 0 });
process.stdout.write(JSON.stringify({ retired: ids.length }) + '\n');
