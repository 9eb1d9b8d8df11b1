// The CLI's promises to scripts and admins: exit codes, config errors in full, secrets never shown. Run
// in-process; test/e2e/cli.e2e.test.ts shows that the exit codes and streams reach a real shell.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import { runCliInProcess } from '../helpers/cli.ts';
import { startWorld, type World } from '../helpers/e2e-world.ts';

const SECRET = 'sup3r-s3cret-value';

describe('roster CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'roster-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports every problem of a broken config with its path, exits 3 and contacts nothing', async () => {
    const file = join(dir, 'broken.yaml');
    await writeFile(
      file,
      `salesforce:
  loginUrl: not-a-url
  auth: { flow: client_credentials, clientId: abc, clientSecret: "${SECRET}" }
docebo:
  baseUrl: http://127.0.0.1:9
  auth: { clientId: x, clientSecret: "${SECRET}" }
  batchSize: 0
scope:
  contacts: "Docebo_Access__c = = true"
match: []
rules:
  - { name: Account Retired, when: "Account.Status__c = 'Inactive'" }
retire: { mode: vanish }
`,
    );
    const r = await runCliInProcess(['plan', '-c', file]);
    expect(r.code).toBe(3);
    for (const path of [
      'salesforce.loginUrl',
      'docebo.batchSize',
      'scope.contacts',
      'match',
      'rules[0].name',
      'retire.mode',
    ])
      expect(r.stderr, path).toContain(path);
    expect(r.stderr + r.stdout).not.toContain(SECRET);
  });

  it('names the missing config file and how to fix it (exit 3)', async () => {
    const r = await runCliInProcess(['plan', '-c', join(dir, 'nope.yaml')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('ROSTER_CONFIG_NOT_FOUND');
    expect(r.stderr).toContain('nope.yaml');
  });

  it('names the failing call when Docebo cannot be reached (exit 1)', async () => {
    const file = join(dir, 'unreachable.yaml');
    await writeFile(
      file,
      `salesforce:
  loginUrl: http://127.0.0.1:9
  auth: { flow: client_credentials, clientId: abc, clientSecret: "${SECRET}" }
docebo:
  baseUrl: http://127.0.0.1:9
  auth: { clientId: x, clientSecret: "${SECRET}" }
scope: { contacts: "Docebo_Access__c = true" }
match: [{ docebo: email, salesforce: Email }]
rules: [{ name: contact-left, when: "Left_Date__c != null", retireOn: Left_Date__c }]
store: "sqlite:${join(dir, 'u.db')}"
`,
    );
    const r = await runCliInProcess(['plan', '-c', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ROSTER_SALESFORCE_UNAVAILABLE|ROSTER_DOCEBO_UNAVAILABLE/);
    expect(r.stderr).toContain('what to do');
    expect(r.stderr).not.toContain(SECRET);
  });
});

describe('roster doctor', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld(acmeScenario({ otherContacts: 10 }));
  });
  afterAll(async () => {
    await world.stop();
  });

  it('checks config, store and both connections with secrets masked', async () => {
    const r = await world.roster('doctor', ['--json'], {
      DOCEBO_CLIENT_SECRET: SECRET,
      SF_CLIENT_SECRET: SECRET,
    });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; checks: { name: string; ok: boolean }[] };
    expect(out.ok).toBe(true);
    expect(out.checks.some((c) => c.name.startsWith('Salesforce'))).toBe(true);
    expect(out.checks.some((c) => c.name.startsWith('Docebo'))).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('plan exits 0 when there is nothing to do', async () => {
    const r = await world.roster('plan');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Nothing to do');
  });
});

describe('roster in another working directory', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld(acmeScenario({ otherContacts: 5 }));
  });
  afterAll(async () => {
    await world.stop();
  });

  it('resolves a relative config file and --output against the directory it runs in', async () => {
    const r = await runCliInProcess(
      ['audit', 'export', '-c', 'roster.yaml', '--format', 'jsonl', '--output', 'journal.jsonl'],
      { cwd: world.dir },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`0 journal row(s) written to ${join(world.dir, 'journal.jsonl')}`);
    expect(await readFile(join(world.dir, 'journal.jsonl'), 'utf8')).toBe('');
    const elsewhere = await runCliInProcess(['plan', '-c', 'roster.yaml'], { cwd: tmpdir() });
    expect(elsewhere.code).toBe(3);
    expect(elsewhere.stderr).toContain(`No configuration file at ${join(tmpdir(), 'roster.yaml')}`);
  });
});
