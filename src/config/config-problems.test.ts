import { describe, expect, it } from 'vitest';
import { edit, ENV, problemsOf } from './config-test-fixtures.ts';
import { parseConfig } from './parse-config.ts';

describe('parseConfig: problems are all reported together, each at its path', () => {
  const BROKEN = `
salesforce:
  loginUrl: ftp://example
  apiVersion: "v66"
  auth: { flow: client_credentials, clientId: "\${MISSING_ID}", clientSecret: x }
  batchSize: 100
  colour: blue
docebo:
  baseUrl: not a url
  auth: { grant: magic, clientId: a, clientSecret: b }
  batchSize: 0
  callsPerHour: many
  batchIdentifyBy: email
  timezone: Mars/Olympus_Mons
  clearExpirationWith: none
scope:
  contacts: "Docebo_Access__c == true"
match:
  - { docebo: mail, salesforce: Owner.Email }
rules:
  - { name: account-retired, when: "Account.Status__c = 'Inactive'" }
  - { name: Contact_Left, when: "Left_Date__c != null OR", retireOn: "Left Date" }
  - { name: account-retired, when: "A__c = 1 AND B__c = 2 OR C__c = 3" }
retire: { mode: delete }
store: mysql://db
`;

  it('lists every problem with its path, and the message has one line per problem', () => {
    const { error, problems } = problemsOf(() => parseConfig(BROKEN, {}, '/srv'));
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(byPath).toEqual({
      'salesforce.loginUrl': 'expected an http(s) URL',
      'salesforce.apiVersion': 'expected an API version like "66.0"',
      'salesforce.auth.clientId': 'environment variable MISSING_ID is not set (or is empty)',
      'salesforce.batchSize': 'expected a whole number from 200 to 2000',
      'salesforce.colour': 'unknown key',
      'docebo.baseUrl': 'expected an http(s) URL',
      'docebo.auth.grant': 'expected grant: client_credentials or grant: password',
      'docebo.batchSize': 'expected a whole number from 1 to 1000',
      'docebo.callsPerHour': 'expected a whole number from 1 to 1000000',
      'docebo.batchIdentifyBy': 'expected user_id or username',
      'docebo.timezone': 'expected an IANA timezone name, e.g. UTC or Europe/Paris',
      'docebo.clearExpirationWith': 'expected "" or null',
      'scope.contacts': expect.stringMatching(/expected a value .* but found "=" \(column 19\)/),
      'match[0].docebo': 'expected email, username or field_N',
      'match[0].salesforce': expect.stringMatching(/relationship other than Account/),
      'rules[1].name': 'expected a kebab-case name, e.g. account-retired',
      'rules[1].when': 'expected a field name but the condition ended',
      'rules[1].retireOn': expect.stringMatching(/is not a field name/),
      'rules[2].when': expect.stringMatching(/AND and OR are mixed without parentheses/),
      'rules[2].name': '"account-retired" is already the name of rules[0]',
      'retire.mode': 'expected expire-and-deactivate, expire, deactivate',
      store: 'expected sqlite:PATH or postgres://…',
    });
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('Invalid configuration (22 problems):');
    expect(lines.slice(1)).toHaveLength(22);
    expect(lines).toContain('- docebo.batchSize: expected a whole number from 1 to 1000');
    expect(problems.find((p) => p.path === 'salesforce.auth.clientId')?.fix).toContain(
      '${MISSING_ID:-value}',
    );
  });

  it.each<[string, string, string, string]>([
    ['missing sections', 'scope:\n  contacts: "Docebo_Access__c = true"\n', '', 'scope'],
    ['an empty match list', '  - { docebo: email, salesforce: Email }', '  []', 'match'],
    ['unknown top-level key', 'scope:', 'colour: blue\nscope:', 'colour'],
    [
      'unknown key in a rule',
      'retireOn: Left_Date__c }',
      'retireOn: Left_Date__c, whne: x }',
      'rules[1].whne',
    ],
    ['missing rule condition', `when: "Left_Date__c != null", `, '', 'rules[1].when'],
    [
      'a jwt without a username',
      'flow: client_credentials, clientId: "${SF_CLIENT_ID}", clientSecret: "${SF_CLIENT_SECRET}"',
      'flow: jwt, clientId: x, privateKeyFile: k.pem',
      'salesforce.auth.username',
    ],
    [
      'an empty secret',
      'clientSecret: "${DOCEBO_CLIENT_SECRET}"',
      'clientSecret: "  "',
      'docebo.auth.clientSecret',
    ],
    ['a bad variable reference', '"${SF_CLIENT_ID}"', '"${SF CLIENT}"', 'salesforce.auth.clientId'],
  ])('%s', (_label, from, to, path) => {
    const { problems } = problemsOf(() => parseConfig(edit(from, to), ENV, '/srv'));
    expect(problems.map((p) => p.path)).toEqual([path]);
  });

  it('reports required sections as required', () => {
    const { problems } = problemsOf(() => parseConfig('retire: { mode: expire }', {}, '/srv'));
    expect(problems).toEqual(
      ['salesforce', 'docebo', 'scope', 'match', 'rules'].map((path) => ({ path, message: 'is required' })),
    );
  });

  it('reports an unreadable key file together with the other problems', () => {
    const text = edit(
      '  auth: { flow: client_credentials, clientId: "${SF_CLIENT_ID}", clientSecret: "${SF_CLIENT_SECRET}" }',
      '  auth: { flow: jwt, clientId: x, username: u, privateKeyFile: missing.pem }\n  batchSize: 1',
    );
    const fail = () => {
      throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    };
    const { problems } = problemsOf(() => parseConfig(text, ENV, '/srv', { readKeyFile: fail }));
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      ['salesforce.batchSize', 'expected a whole number from 200 to 2000'],
      ['salesforce.auth.privateKeyFile', 'cannot read /srv/missing.pem (ENOENT)'],
    ]);
  });

  it.each([
    ['a: [1, 2\nb: 3', 'line 2, column 1'],
    ['salesforce:\n  loginUrl: "unterminated\n', 'line 3, column 1'],
    ['a: 1\na: 2', 'line 2, column 1'],
  ])('reports YAML syntax errors with line and column: %j', (text, path) => {
    const { problems } = problemsOf(() => parseConfig(text, {}, '/srv'));
    expect(problems[0]?.path).toBe(path);
    expect(problems[0]?.message).toMatch(/^YAML syntax error: /);
  });

  it.each(['', '# only a comment\n', '- a list', 'just text'])(
    'refuses a file that is not a mapping: %j',
    (text) => {
      expect(problemsOf(() => parseConfig(text, {}, '/srv')).problems).toHaveLength(1);
    },
  );

  it('names the source file in the message', () => {
    const { error } = problemsOf(() => parseConfig('', {}, '/srv', { source: '/srv/roster.yaml' }));
    expect(error.message).toMatch(/^Invalid configuration in \/srv\/roster.yaml \(1 problem\):/);
  });
});

describe('parseConfig: secrets never appear in problems', () => {
  it.each([
    ['a schema problem next to secrets', edit('  baseUrl: http://127.0.0.1:7102', '  baseUrl: nope')],
    [
      'a secret where a number belongs',
      edit('  baseUrl: http://127.0.0.1:7102', '  baseUrl: http://x\n  batchSize: "${DOCEBO_CLIENT_SECRET}"'),
    ],
    [
      'a secret where a URL belongs',
      edit('  baseUrl: http://127.0.0.1:7102', '  baseUrl: "${SF_CLIENT_SECRET}"'),
    ],
    ['a YAML error on a line with an inline secret', 'docebo:\n  auth: { clientSecret: "sf-TOPSECRET-1 }\n'],
  ])('%s', (_label, text) => {
    const { error } = problemsOf(() => parseConfig(text, ENV, '/srv'));
    const shown = `${error.message}\n${JSON.stringify(error.details)}`;
    expect(shown).not.toContain('TOPSECRET');
  });
});
