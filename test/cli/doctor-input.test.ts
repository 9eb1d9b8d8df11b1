// `roster doctor` (and `plan`) against the simulators on the input problems of issue 8: where client
// credentials are served, retireOn fields that are not dates (in the schema and in a value), what an
// outbound message must send, and config files that are refused with exit 3 before anything is touched.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeScenario } from '../../simulators/scenarios/acme-scenario.ts';
import type { Plan } from '../../src/domain/plan.ts';
import { runCliInProcess } from '../helpers/cli.ts';
import { startWorld, type World } from '../helpers/e2e-world.ts';

interface DoctorJson {
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
}
const check = (r: { stdout: string }, name: string) =>
  (JSON.parse(r.stdout) as DoctorJson).checks.find((c) => c.name === name);

describe('roster doctor: retireOn fields and outbound messages', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld(acmeScenario({ otherContacts: 5 }), {
      extraYaml:
        'feeds: { outboundMessages: { enabled: true, organizationId: 00D000000000001AAA, secret: "an-outbound-secret-of-24" } }\n',
    });
  });
  afterAll(async () => {
    await world.stop();
  });

  it('checks through describe that every retireOn field is a date', async () => {
    const r = await world.roster('doctor', ['--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(check(r, 'Salesforce retireOn fields are dates')).toEqual({
      name: 'Salesforce retireOn fields are dates',
      ok: true,
      detail: 'Account.Retired_Date__c (date), Left_Date__c (date)',
    });
  });

  it('says the outbound message must send only the Id, and when it must fire', async () => {
    const r = await world.roster('doctor', ['--json']);
    const advice = check(r, 'Salesforce outbound messages');
    expect(advice?.ok).toBe(true);
    expect(advice?.detail).toContain('fields to send: Id only');
    expect(advice?.detail).toContain(
      'send on Contact when Docebo_Access__c, Email, Left_Date__c, AccountId change; and on Account when Status__c, Retired_Date__c change',
    );
    expect(advice?.detail).toContain('/salesforce/outbound-messages?token=<feeds.outboundMessages.secret>');
    expect(r.stdout).not.toContain('an-outbound-secret-of-24');
  });
});

describe('retireOn fields that are not dates', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld(acmeScenario({ otherContacts: 5 }), {
      salesforce: {
        schema: {
          Account: { Status__c: 'string', Retired_Date__c: 'datetime' },
          Contact: { Docebo_Access__c: 'boolean', Left_Date__c: 'string' },
        },
      },
    });
  });
  afterAll(async () => {
    await world.stop();
  });

  it('doctor fails naming the field and its type; a datetime field passes', async () => {
    const r = await world.roster('doctor', ['--json']);
    expect(r.code).toBe(1);
    expect(check(r, 'Salesforce retireOn fields are dates')).toEqual({
      name: 'Salesforce retireOn fields are dates',
      ok: false,
      detail:
        "Left_Date__c is of type string: a rule's retireOn must name a date or datetime field (or be left empty)",
    });
    const text = await world.roster('doctor');
    expect(text.stdout).toMatch(/FAIL\s+Salesforce retireOn fields are dates/);
  });

  it('plan reports a contact whose retireOn value is not a date, and writes nothing for them', async () => {
    await world.sf.update('Contact', world.ids.charlie as string, { Left_Date__c: 'next Friday' });
    const r = await world.roster('plan', ['--json']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as Plan;
    expect(plan.items).toEqual([]);
    expect(plan.summary.invalid).toBe(1);
    expect(plan.invalid).toEqual([
      expect.objectContaining({
        contact: expect.objectContaining({ name: 'Charlie Brown' }),
        problems: [{ rule: 'contact-left', field: 'Left_Date__c', value: 'next Friday' }],
      }),
    ]);
    const text = await world.roster('plan');
    expect(text.stdout).toContain('A rule holds but its retireOn date cannot be read — 1 contact(s)');
    expect(text.stdout).toContain('contact-left: Left_Date__c = "next Friday"');

    const apply = await world.roster('apply', ['--yes']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(world.journal()).toEqual([]);
  });
});

describe('configurations refused with exit 3, before anything is contacted', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld(acmeScenario({ otherContacts: 5 }));
  });
  afterAll(async () => {
    await world.stop();
  });

  const variant = async (name: string, change: (yaml: string) => string) => {
    const file = join(world.dir, name);
    await writeFile(file, change(await readFile(world.configFile, 'utf8')));
    return runCliInProcess(['doctor', '-c', file], { cwd: world.dir });
  };

  it.each(['https://login.salesforce.com', 'http://test.salesforce.com/'])(
    'client credentials on %s: the field and the My Domain fix',
    async (url) => {
      const r = await variant('shared-host.yaml', (y) => y.replace(world.sfUrl, url));
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('ROSTER_CONFIG_INVALID');
      expect(r.stderr).toContain(
        "- salesforce.loginUrl: flow: client_credentials is served only on the org's My Domain host",
      );
      expect(r.stderr).toContain('https://acme.my.salesforce.com');
      expect(r.stdout).toBe('');
    },
  );

  it('a YAML alias bomb: one clear problem, no stack trace', async () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
      'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
      'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
    ].join('\n');
    const r = await variant('bomb.yaml', (y) => `${bomb}\n${y}`);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('- YAML: aliases (*name) expand past the limit of 100 nodes');
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('a bad reconcile.timezone names its own field', async () => {
    const r = await variant('tz.yaml', (y) => `${y}reconcile: { timezone: Europe/Atlantis }\n`);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      '- reconcile.timezone: expected an IANA timezone name, e.g. UTC or Europe/Paris',
    );
  });

  it('a SQLite store in a missing directory names store and the fix, and creates nothing', async () => {
    const missing = join(world.dir, 'no-such-dir');
    const r = await variant('store.yaml', (y) => y.replace(world.dbFile, join(missing, 'roster.db')));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`- store: the directory ${missing} does not exist`);
    expect(r.stderr).toContain(`mkdir -p ${missing}`);
    expect(existsSync(missing)).toBe(false);
  });
});
