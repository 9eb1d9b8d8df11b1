// The audit log and a person's history end to end: real applies against the simulators, then
// `roster audit verify`, `audit export` and `history` (the CLI in-process) on the same SQLite file, and
// a journal row edited behind Roster's back.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import { runCliInProcess } from '../helpers/cli.ts';
import { startWorld, todayUtc, type World } from '../helpers/e2e-world.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

describe('roster audit / history against the simulators', () => {
  it('verifies the journal of a real apply, exports it, tells Charlie’s story and catches a tampered row', async () => {
    const w = (world = await startWorld(acmeScenario({ otherContacts: 60 })));
    // Two leavers, one apply each: well under the blast-radius guards, so both go out.
    const retired = todayUtc(-2);
    await w.sf.update('Contact', w.ids.charlie as string, { Left_Date__c: retired });
    const first = await w.roster('apply', ['--yes']);
    expect(first.code, first.stderr).toBe(0);
    await w.sf.update('Contact', w.ids['acme-1'] as string, { Left_Date__c: todayUtc(-1) });
    const second = await w.roster('apply', ['--yes']);
    expect(second.code, second.stderr).toBe(0);
    const journal = w.journal();
    expect(journal).toHaveLength(2);
    expect(new Set(journal.map((j) => j.run_id)).size).toBe(2);

    const audit = (args: string[]) => runCliInProcess(['audit', ...args, '-c', w.configFile], { cwd: w.dir });

    const verify = await audit(['verify']);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain('Audit log intact');
    const verifyJson = await audit(['verify', '--json']);
    expect(JSON.parse(verifyJson.stdout)).toMatchObject({ ok: true, journalRows: 2, firstBroken: null });

    const csv = await audit(['export', '--format', 'csv', '--since', todayUtc(-1)]);
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.split('\r\n').filter((l) => l !== '');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^journal_id,at,run_id,plan_id,/);
    expect(lines[0]).toContain('audit_hash');
    const charlieLine = lines.find((l) => l.includes('charlie.brown@acme.example'));
    expect(charlieLine).toContain(`contact-left`);
    expect(charlieLine).toContain(retired);
    expect(charlieLine).toMatch(/,[0-9a-f]{64}$/);
    const none = await audit(['export', '--format', 'jsonl', '--until', todayUtc(-1)]);
    expect(none.stdout).toBe('');
    const jsonl = await audit(['export', '--format', 'jsonl']);
    const rows = jsonl.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { outcome: string; auditHash: string });
    expect(rows).toHaveLength(2);
    for (const r of rows)
      expect(r).toMatchObject({ outcome: 'applied', auditHash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const history = await w.roster('history', ['charlie.brown@acme.example']);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toContain(`Salesforce contact(s): ${w.ids.charlie}`);
    expect(history.stdout).toMatch(/decided\s+retire charlie\.brown@acme\.example/);
    expect(history.stdout).toMatch(
      /wrote\s+retire charlie\.brown@acme\.example .*active → inactive.* applied/,
    );
    expect(history.stdout).toContain(`contact-left from ${retired}`);
    expect(history.stdout).toContain(`expiration – → ${retired}`);
    // The same story by contact id (15 characters too) and by Docebo user id.
    const byId = await w.roster('history', [(w.ids.charlie as string).slice(0, 15), '--json']);
    const story = JSON.parse(byId.stdout) as { userIds: string[]; events: { type: string }[] };
    expect(story.events.filter((e) => e.type === 'wrote')).toHaveLength(1);
    const byUser = await w.roster('history', [story.userIds[0] as string, '--json']);
    expect(JSON.parse(byUser.stdout)).toMatchObject({ contactIds: [w.ids.charlie] });
    const nobody = await w.roster('history', ['nobody@nowhere.example']);
    expect(nobody.code).toBe(1);

    const db = new Database(w.dbFile);
    let tampered: number;
    try {
      const row = db
        .prepare(`SELECT id FROM journal WHERE username = 'charlie.brown@acme.example'`)
        .get() as {
        id: number;
      };
      tampered = row.id;
      db.prepare(`UPDATE journal SET after = '{"active":true,"expirationDate":null}' WHERE id = ?`).run(
        tampered,
      );
    } finally {
      db.close();
    }
    const broken = await audit(['verify']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('Audit log BROKEN');
    expect(broken.stdout).toMatch(new RegExp(`First broken link: seq \\d+, journal id ${tampered}`));
    expect(broken.stdout).toContain(`journal row ${tampered} differs`);
    expect(broken.stdout).toContain('after');
  });
});
