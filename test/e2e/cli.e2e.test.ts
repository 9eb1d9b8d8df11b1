// What only a real process shows about the CLI: that `node bin/roster.js` parses its argv, keeps data on
// stdout and diagnostics on stderr, and that exit codes 0–5 reach the shell; and the README's first
// command, `roster demo` (with and without --live, which runs serve). Everything else about the CLI runs
// in-process, in test/cli/.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import type { Plan } from '../../src/domain/plan.ts';
import { runCli } from '../helpers/cli.ts';
import { startWorld, todayUtc, type World } from '../helpers/e2e-world.ts';

describe('roster as a process: argv, stdout/stderr and exit codes reach the shell', () => {
  let dir: string;
  let world: World;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'roster-smoke-'));
    // ACME's 12 in-scope people are over maxPerAccount; Charlie alone is not.
    world = await startWorld(acmeScenario({ otherContacts: 10 }), {
      guards:
        'guards: { maxPerAccount: 5, maxRetirementsPerRun: 500, maxRetirementsPercent: 100, minSourceShare: 0 }\n',
    });
  });
  afterAll(async () => {
    await world?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('--help lists the commands on stdout and exits 0; an unknown command exits 1 on stderr', async () => {
    const help = await runCli(['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: roster');
    expect(help.stdout).toMatch(/^\s+plan \[options\]/m);
    expect(help.stderr).toBe('');
    const unknown = await runCli(['plna']);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain("unknown command 'plna'");
  });

  it('exits 3 on a broken config, with the problems on stderr and nothing on stdout', async () => {
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'salesforce:\n  loginUrl: not-a-url\n');
    const r = await runCli(['plan', '-c', file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('ROSTER_CONFIG_INVALID');
    expect(r.stderr).toContain('salesforce.loginUrl');
    expect(r.stdout).toBe('');
  });

  // Salesforce, not Docebo: a refused Docebo call is retried with backoff for seconds (by design).
  it('exits 1 when Salesforce cannot be reached, naming the failing call on stderr', async () => {
    const file = join(dir, 'unreachable.yaml');
    await writeFile(
      file,
      (await readFile(world.configFile, 'utf8'))
        .replace(world.sfUrl, 'http://127.0.0.1:9')
        .replace(world.dbFile, join(dir, 'unreachable.db')),
    );
    const r = await runCli(['plan', '-c', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ROSTER_SALESFORCE_UNAVAILABLE');
    expect(r.stderr).toContain('what to do');
    expect(r.stdout).toBe('');
  });

  it('plan exits 0 when in step and 2 with changes; apply exits 4 when a change fails and 5 when changes are held', async () => {
    const inStep = await world.spawnRoster('plan');
    expect(inStep.code, inStep.stderr).toBe(0);
    expect(inStep.stdout).toContain('Nothing to do');

    await world.sf.update('Contact', world.ids.charlie as string, { Left_Date__c: todayUtc(-1) });
    const changes = await world.spawnRoster('plan', ['--json']);
    expect(changes.code, changes.stderr).toBe(2);
    expect((JSON.parse(changes.stdout) as Plan).items.map((i) => i.username)).toEqual([
      'charlie.brown@acme.example',
    ]);

    await world.docebo.setFaults({ failUsernames: ['charlie.brown@acme.example'] });
    const failed = await world.spawnRoster('apply', ['--yes']);
    expect(failed.code, failed.stderr).toBe(4);
    await world.docebo.clearFaults();

    await world.sf.update('Account', world.ids.acme as string, {
      Status__c: 'Inactive',
      Retired_Date__c: todayUtc(-1),
    });
    const held = await world.spawnRoster('apply', ['--yes']);
    expect(held.code, held.stderr).toBe(5);
    expect(held.stdout).toContain('Held for approval');
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
