// Bad input that used to pass the schema and fail later (or crash): each is a problem at its own path.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { edit, ENV, MINIMAL, problemsOf } from './config-test-fixtures.ts';
import { loadConfig } from './load-config.ts';
import { parseConfig } from './parse-config.ts';
import { sharedLoginHost } from './salesforce-login-host.ts';

const LOGIN_URL = 'loginUrl: http://127.0.0.1:7101';

describe('client credentials only on a My Domain host', () => {
  it.each([
    'https://login.salesforce.com',
    'http://login.salesforce.com',
    'https://test.salesforce.com',
    'https://LOGIN.Salesforce.com/',
    'https://login.salesforce.com.',
    'https://login.salesforce.com:443/services/oauth2/token',
    'http://test.salesforce.com:8080',
  ])('refuses %s with the field and the fix', (url) => {
    const { problems } = problemsOf(() => parseConfig(edit(LOGIN_URL, `loginUrl: "${url}"`), ENV, '/srv'));
    expect(problems).toEqual([
      {
        path: 'salesforce.loginUrl',
        message: expect.stringMatching(
          /^flow: client_credentials is served only on the org's My Domain host, not on (login|test)\.salesforce\.com$/,
        ),
        fix: expect.stringContaining('https://acme.my.salesforce.com'),
      },
    ]);
  });

  it.each([
    'https://acme.my.salesforce.com',
    'https://acme--uat.sandbox.my.salesforce.com',
    'https://login.salesforce.com.evil.example',
    'http://127.0.0.1:7101',
  ])('accepts %s', (url) => {
    expect(parseConfig(edit(LOGIN_URL, `loginUrl: "${url}"`), ENV, '/srv').salesforce.loginUrl).toBe(url);
  });

  it('leaves the JWT flow on login.salesforce.com alone (that is where it is served)', () => {
    const text = edit(LOGIN_URL, 'loginUrl: https://login.salesforce.com').replace(
      /auth: \{ flow: client_credentials.*\}/,
      'auth: { flow: jwt, clientId: id, username: u, privateKeyFile: k.pem }',
    );
    expect(parseConfig(text, ENV, '/srv').salesforce.auth.flow).toBe('jwt');
  });

  it('is reported with every other problem', () => {
    const text = edit(LOGIN_URL, 'loginUrl: https://login.salesforce.com').replace(
      'docebo:\n',
      'docebo:\n  batchSize: 0\n',
    );
    const { problems } = problemsOf(() => parseConfig(text, ENV, '/srv'));
    expect(problems.map((p) => p.path).sort()).toEqual(['docebo.batchSize', 'salesforce.loginUrl']);
  });

  it('sharedLoginHost reads only the host name', () => {
    expect(sharedLoginHost('https://login.salesforce.com/x?y=test.salesforce.com')).toBe(
      'login.salesforce.com',
    );
    expect(sharedLoginHost('https://acme.my.salesforce.com/login.salesforce.com')).toBeNull();
    expect(sharedLoginHost('ftp://login.salesforce.com')).toBeNull();
    expect(sharedLoginHost('not a url')).toBeNull();
  });
});

describe('a YAML alias bomb', () => {
  const laughs = (levels: number) =>
    [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...Array.from({ length: levels }, (_, i) => {
        const [name, prev] = [String.fromCharCode(98 + i), String.fromCharCode(97 + i)];
        return `${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`;
      }),
    ].join('\n');

  it('is one problem, at once, not a crash', () => {
    const started = performance.now();
    const { error, problems } = problemsOf(() => parseConfig(`${laughs(8)}\n${MINIMAL}`, ENV, '/srv'));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(problems).toEqual([
      {
        path: 'YAML',
        message: 'aliases (*name) expand past the limit of 100 nodes (an alias bomb?)',
        fix: 'roster.yaml needs no anchors or aliases; write the values out',
      },
    ]);
    expect(error.message).not.toContain('    at ');
  });

  it('a few honest aliases still work', () => {
    const text = `${MINIMAL}\nreconcile: { schedule: &nightly "0 3 * * *" }\n`.replace(
      'rules:\n',
      'x-unused: &unused 1\nrules:\n',
    );
    // An unknown key is still refused; the alias itself is not the problem.
    expect(problemsOf(() => parseConfig(text, ENV, '/srv')).problems.map((p) => p.path)).toEqual([
      'x-unused',
    ]);
    const ok = `${MINIMAL}\nreconcile: { schedule: &nightly "0 3 * * *" }\n`;
    expect(parseConfig(ok, ENV, '/srv').reconcile.schedule).toBe('0 3 * * *');
  });
});

describe('reconcile.timezone', () => {
  it('is an IANA zone, and a bad one names its own field', () => {
    const { problems } = problemsOf(() =>
      parseConfig(`${MINIMAL}\nreconcile: { timezone: Mars/Olympus_Mons }\n`, ENV, '/srv'),
    );
    expect(problems).toEqual([
      { path: 'reconcile.timezone', message: 'expected an IANA timezone name, e.g. UTC or Europe/Paris' },
    ]);
    expect(
      parseConfig(`${MINIMAL}\nreconcile: { timezone: Europe/Paris }\n`, ENV, '/srv').reconcile.timezone,
    ).toBe('Europe/Paris');
  });
});

describe('a SQLite store in a directory that does not exist', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-store-dir-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const exists = (path: string) => path === '/srv' || path === '/srv/data';

  it.each([
    ['sqlite:./missing/roster.db', '/srv/missing'],
    ['sqlite:/var/lib/nowhere/roster.db', '/var/lib/nowhere'],
    ['sqlite:///var/lib/nowhere/roster.db', '/var/lib/nowhere'],
    ['sqlite://./missing/roster.db', '/srv/missing'],
  ])('%s is a problem of store, with the fix', (store, missing) => {
    const { problems } = problemsOf(() =>
      parseConfig(`${MINIMAL}\nstore: "${store}"\n`, ENV, '/srv', { directoryExists: exists }),
    );
    expect(problems).toEqual([
      {
        path: 'store',
        message: `the directory ${missing} does not exist`,
        fix: `create it first (mkdir -p ${missing}) or correct the path; Roster never creates a store's directory`,
      },
    ]);
  });

  it.each(['sqlite:roster.db', 'sqlite:./data/roster.db', 'sqlite::memory:', 'postgres://db/roster'])(
    '%s passes',
    (store) => {
      expect(() =>
        parseConfig(`${MINIMAL}\nstore: "${store}"\n`, ENV, '/srv', { directoryExists: exists }),
      ).not.toThrow();
    },
  );

  it('loadConfig checks the disk, and creates nothing', async () => {
    const file = join(dir, 'roster.yaml');
    writeFileSync(file, `${MINIMAL}\nstore: sqlite:./state/roster.db\n`);
    const error = await loadConfig({ path: file, env: ENV, cwd: '/' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ROSTER_CONFIG_INVALID' });
    expect((error as Error).message).toContain(`- store: the directory ${join(dir, 'state')} does not exist`);
    mkdirSync(join(dir, 'state'));
    await expect(loadConfig({ path: file, env: ENV, cwd: '/' })).resolves.toMatchObject({
      store: `sqlite:${join(dir, 'state', 'roster.db')}`,
    });
  });
});
