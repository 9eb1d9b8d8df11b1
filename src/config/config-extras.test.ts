import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RosterError } from '../domain/errors.ts';
import { configFields } from './config-fields.ts';
import { demoConfigYaml } from './demo-config.ts';
import { interpolateEnv } from './interpolate-env.ts';
import { loadConfig } from './load-config.ts';
import { parseConfig } from './parse-config.ts';
import { MASK, redactConfig } from './redact-config.ts';

const demo = (store = 'sqlite:./demo.db') =>
  demoConfigYaml({ sfUrl: 'http://127.0.0.1:7101', doceboUrl: 'http://127.0.0.1:7102', store });

describe('interpolateEnv', () => {
  it.each<[unknown, Record<string, string>, unknown]>([
    ['${A}', { A: 'x' }, 'x'],
    ['pre-${A}-${B}-post', { A: '1', B: '2' }, 'pre-1-2-post'],
    ['${A:-fallback}', {}, 'fallback'],
    ['${A:-fallback}', { A: '' }, 'fallback'],
    ['${A:-}', {}, ''],
    ['${A:-a:b}', {}, 'a:b'],
    ['$${A} stays', { A: 'x' }, '${A} stays'],
    ['no references', {}, 'no references'],
    [{ list: ['${A}', 5, true, null] }, { A: 'x' }, { list: ['x', 5, true, null] }],
  ])('%j with %j → %j', (value, env, expected) => {
    expect(interpolateEnv(value, env)).toEqual({ value: expected, problems: [] });
  });

  it('reports each missing variable at its path and leaves the value as written', () => {
    const result = interpolateEnv({ a: { b: ['ok', '${X}-${Y}'] }, c: '${Z:-z}' }, {});
    expect(result.value).toEqual({ a: { b: ['ok', '${X}-${Y}'] }, c: 'z' });
    expect(result.problems.map((p) => [p.path, p.message])).toEqual([
      ['a.b[1]', 'environment variable X is not set (or is empty)'],
      ['a.b[1]', 'environment variable Y is not set (or is empty)'],
    ]);
  });
});

describe('redactConfig', () => {
  const env = { DATABASE_URL: 'postgres://roster:db-TOPSECRET@db:5432/roster' };

  it('masks secrets and database passwords, leaves the rest printable', () => {
    const text = demo()
      .replace(/store: .*\n/, '')
      .replace(
        /auth:\n {4}flow: client_credentials\n.*\n.*\n/,
        'auth: { flow: jwt, clientId: id, username: u, privateKeyFile: k.pem }\n',
      );
    const config = parseConfig(text, env, '/srv', { readKeyFile: () => 'PEM-TOPSECRET' });
    const printed = JSON.stringify(redactConfig(config));
    expect(printed).not.toContain('TOPSECRET');
    expect(printed).not.toContain('roster-demo-secret');
    const redacted = redactConfig(config);
    expect(redacted.salesforce.auth).toMatchObject({
      privateKey: MASK,
      privateKeyFile: '/srv/k.pem',
      clientId: 'id',
    });
    expect(redacted.docebo.auth).toMatchObject({ clientSecret: MASK, clientId: 'roster-demo' });
    expect(redacted.store).toBe('postgres://roster:****@db:5432/roster');
    expect(config.store).toBe(env.DATABASE_URL);
  });

  it('masks the Docebo password grant', () => {
    const text = demo().replace(
      / {2}auth:\n {4}clientId: .*\n {4}clientSecret: .*\n/,
      '  auth: { grant: password, clientId: a, clientSecret: s-TOPSECRET, username: api, password: p-TOPSECRET }\n',
    );
    const redacted = redactConfig(parseConfig(text, {}, '/srv'));
    expect(redacted.docebo.auth).toEqual({
      grant: 'password',
      clientId: 'a',
      clientSecret: MASK,
      username: 'api',
      password: MASK,
    });
  });
});

describe('configFields', () => {
  it('collects the fields of match keys, rule conditions and rule dates, per object, once, and which must be dates', () => {
    const text = demo()
      .replace(
        '  - { docebo: email, salesforce: Email }',
        '  - { docebo: field_1, salesforce: Id }\n  - { docebo: email, salesforce: email }',
      )
      .replace(
        `when: "Left_Date__c != null"`,
        `when: "Left_Date__c != null AND (Email LIKE '%@x' OR Account.Type__c = 'Partner')"`,
      );
    const config = parseConfig(text, {}, '/srv');
    expect(configFields(config)).toEqual({
      scope: 'Docebo_Access__c = true',
      contactFields: ['Id', 'email', 'Left_Date__c'],
      accountFields: ['Status__c', 'Retired_Date__c', 'Type__c'],
      dateFields: ['Account.Retired_Date__c', 'Left_Date__c'],
    });
  });
});

describe('demoConfigYaml', () => {
  it('is a valid configuration for the simulators', () => {
    const config = parseConfig(demo('sqlite:./demo.db'), {}, '/tmp/roster-demo');
    expect(config.salesforce.loginUrl).toBe('http://127.0.0.1:7101');
    expect(config.docebo.baseUrl).toBe('http://127.0.0.1:7102');
    expect(config.store).toBe('sqlite:/tmp/roster-demo/demo.db');
    expect(config.rules.map((r) => r.name)).toEqual(['account-retired', 'contact-left']);
  });

  it('takes credentials from the environment when set', () => {
    const config = parseConfig(demo(), { SF_CLIENT_SECRET: 'from-env' }, '/srv');
    expect(config.salesforce.auth).toMatchObject({ clientSecret: 'from-env' });
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file and resolves paths against its directory, not the working directory', async () => {
    mkdirSync(join(dir, 'conf', 'state'), { recursive: true });
    writeFileSync(join(dir, 'conf', 'sf.pem'), 'PEM');
    const text = demo('sqlite:state/roster.db').replace(
      /auth:\n {4}flow: client_credentials\n.*\n.*\n/,
      'auth: { flow: jwt, clientId: id, username: u, privateKeyFile: ./sf.pem }\n',
    );
    writeFileSync(join(dir, 'conf', 'roster.yaml'), text);
    const config = await loadConfig({ path: 'conf/roster.yaml', env: {}, cwd: dir });
    expect(config.store).toBe(`sqlite:${join(dir, 'conf', 'state', 'roster.db')}`);
    expect(config.salesforce.auth).toMatchObject({
      privateKeyFile: join(dir, 'conf', 'sf.pem'),
      privateKey: 'PEM',
    });
  });

  it('defaults to roster.yaml in the working directory', async () => {
    writeFileSync(join(dir, 'roster.yaml'), demo());
    await expect(loadConfig({ env: {}, cwd: dir })).resolves.toMatchObject({
      store: `sqlite:${join(dir, 'demo.db')}`,
    });
  });

  it('names a missing file', async () => {
    const missing = join(dir, 'nope', 'roster.yaml');
    const error = await loadConfig({ path: missing, env: {}, cwd: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RosterError);
    expect(error).toMatchObject({ code: 'ROSTER_CONFIG_NOT_FOUND' });
    expect((error as Error).message).toContain(missing);
  });

  it('names the file in validation errors and reports a missing key file', async () => {
    const file = join(dir, 'jwt.yaml');
    writeFileSync(
      file,
      demo().replace(
        /auth:\n {4}flow: client_credentials\n.*\n.*\n/,
        'auth: { flow: jwt, clientId: id, username: u, privateKeyFile: gone.pem }\n',
      ),
    );
    const error = await loadConfig({ path: file, env: {}, cwd: '/' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ROSTER_CONFIG_INVALID' });
    expect((error as Error).message).toContain(`Invalid configuration in ${file} (1 problem):`);
    expect((error as Error).message).toContain(
      `- salesforce.auth.privateKeyFile: cannot read ${join(dir, 'gone.pem')} (ENOENT)`,
    );
  });
});
