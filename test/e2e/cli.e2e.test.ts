// The CLI's promises to scripts and admins: exit codes, config errors in full, secrets never shown.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import { runCli } from '../helpers/cli.ts';
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
    const r = await runCli(['plan', '-c', file]);
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
    const r = await runCli(['plan', '-c', join(dir, 'nope.yaml')]);
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
    const r = await runCli(['plan', '-c', file]);
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

describe('roster demo', () => {
  it('runs the whole story and ends with a second run that writes nothing', async () => {
    const r = await runCli(['demo']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('charlie.brown@acme.example');
    expect(r.stdout).toContain('Nothing to do');
    expect(r.stdout).toMatch(/Docebo calls in the second run: \d+ \(0 writes\)/);
  });
});

describe('roster demo --live', () => {
  it('plays the story through roster serve without a terminal: Docebo follows each Salesforce write', async () => {
    const r = await runCli(['demo', '--live', '--feed', 'poll']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/charlie\.brown@acme\.example\s+active → inactive/);
    expect(r.stdout.match(/Docebo followed/g)).toHaveLength(2);
  });
});
