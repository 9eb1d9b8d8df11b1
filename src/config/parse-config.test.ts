import { describe, expect, it } from 'vitest';
import { edit, ENV, MINIMAL, problemsOf } from './config-test-fixtures.ts';
import { parseConfig } from './parse-config.ts';

describe('parseConfig: valid configurations', () => {
  it('fills every default', () => {
    const config = parseConfig(MINIMAL, ENV, '/srv/roster');
    expect(config).toEqual({
      salesforce: {
        loginUrl: 'http://127.0.0.1:7101',
        apiVersion: '66.0',
        auth: { flow: 'client_credentials', clientId: 'sf-id', clientSecret: 'sf-TOPSECRET-1' },
        batchSize: 2000,
      },
      docebo: {
        baseUrl: 'http://127.0.0.1:7102',
        auth: { grant: 'client_credentials', clientId: 'dc-id', clientSecret: 'dc-TOPSECRET-2' },
        callsPerHour: 1000,
        batchSize: 100,
        batchIdentifyBy: 'user_id',
        timezone: 'UTC',
        clearExpirationWith: '',
      },
      scope: { contacts: 'Docebo_Access__c = true' },
      match: [{ docebo: 'email', salesforce: 'Email' }],
      rules: [
        {
          name: 'account-retired',
          when: "Account.Status__c = 'Inactive'",
          retireOn: 'Account.Retired_Date__c',
        },
        { name: 'contact-left', when: 'Left_Date__c != null', retireOn: 'Left_Date__c' },
      ],
      retire: { mode: 'expire-and-deactivate' },
      serve: { host: '127.0.0.1', port: 7100, mode: 'enforce', leaseTime: 15_000 },
      feeds: {
        poll: { enabled: true, interval: 60_000, overlap: 120_000, slowDownAbovePercent: 80 },
        cdc: { enabled: false, address: 'api.pubsub.salesforce.com:7443', topic: '/data/ChangeEvents' },
        outboundMessages: { enabled: false, path: '/salesforce/outbound-messages' },
      },
      reconcile: { schedule: '0 3 * * *', timezone: 'UTC', onStart: true, feedTroubleInterval: 900_000 },
      alerts: {},
      queue: { window: 1000, maxAttempts: 8, claimLimit: 500 },
      guards: { maxRetirementsPerRun: 500, maxRetirementsPercent: 5, maxPerAccount: 200, minSourceShare: 80 },
      store: 'sqlite:/srv/roster/roster.db',
    });
  });

  it('reads durations and checks the service settings', () => {
    const config = parseConfig(
      MINIMAL +
        '\nfeeds:\n  poll: { interval: 5s, overlap: 1m }\nqueue: { window: 250ms }\n' +
        'reconcile: { feedTroubleInterval: 30m }\n',
      ENV,
      '/srv/roster',
    );
    expect(config.feeds.poll).toMatchObject({ interval: 5000, overlap: 60_000 });
    expect(config.queue.window).toBe(250);
    expect(config.reconcile.feedTroubleInterval).toBe(1_800_000);
    expect(() =>
      parseConfig(
        MINIMAL +
          '\nfeeds:\n  poll: { interval: soon }\n  outboundMessages: { enabled: true }\nserve: { adminToken: short }\n',
        ENV,
        '/srv/roster',
      ),
    ).toThrow(
      expect.objectContaining({
        details: expect.arrayContaining([
          expect.objectContaining({ path: 'feeds.poll.interval' }),
          expect.objectContaining({ path: 'feeds.outboundMessages.organizationId' }),
          expect.objectContaining({ path: 'feeds.outboundMessages.secret' }),
          expect.objectContaining({ path: 'serve.adminToken' }),
        ]),
      }),
    );
  });

  it.each<[string, string, string, (c: ReturnType<typeof parseConfig>) => unknown, unknown]>([
    [
      'apiVersion quoted',
      '  loginUrl: http://127.0.0.1:7101',
      '  loginUrl: http://127.0.0.1:7101\n  apiVersion: "67.0"',
      (c) => c.salesforce.apiVersion,
      '67.0',
    ],
    [
      'apiVersion as a YAML number',
      '  loginUrl: http://127.0.0.1:7101',
      '  loginUrl: http://127.0.0.1:7101\n  apiVersion: 66.0',
      (c) => c.salesforce.apiVersion,
      '66.0',
    ],
    [
      'batch sizes at their bounds',
      '  baseUrl: http://127.0.0.1:7102',
      '  baseUrl: http://127.0.0.1:7102\n  batchSize: 1000\n  callsPerHour: 500',
      (c) => [c.docebo.batchSize, c.docebo.callsPerHour],
      [1000, 500],
    ],
    [
      'identify by username, timezone',
      '  baseUrl: http://127.0.0.1:7102',
      '  baseUrl: http://127.0.0.1:7102\n  batchIdentifyBy: username\n  timezone: Europe/Paris',
      (c) => [c.docebo.batchIdentifyBy, c.docebo.timezone],
      ['username', 'Europe/Paris'],
    ],
    [
      'clear expiration dates with null',
      '  baseUrl: http://127.0.0.1:7102',
      '  baseUrl: http://127.0.0.1:7102\n  clearExpirationWith: null',
      (c) => c.docebo.clearExpirationWith,
      null,
    ],
    [
      'clear expiration dates with ""',
      '  baseUrl: http://127.0.0.1:7102',
      '  baseUrl: http://127.0.0.1:7102\n  clearExpirationWith: ""',
      (c) => c.docebo.clearExpirationWith,
      '',
    ],
    ['retire mode', 'scope:', 'retire: { mode: expire }\nscope:', (c) => c.retire.mode, 'expire'],
    [
      'postgres store',
      'scope:',
      'store: postgres://roster@127.0.0.1:5432/test\nscope:',
      (c) => c.store,
      'postgres://roster@127.0.0.1:5432/test',
    ],
    [
      'absolute sqlite store',
      'scope:',
      'store: sqlite:/var/lib/roster.db\nscope:',
      (c) => c.store,
      'sqlite:/var/lib/roster.db',
    ],
    [
      'relative sqlite store',
      'scope:',
      'store: sqlite:data/r.db\nscope:',
      (c) => c.store,
      'sqlite:/srv/roster/data/r.db',
    ],
    ['rule without a date', 'retireOn: Left_Date__c }', 'retireOn: "" }', (c) => c.rules[1]?.retireOn, null],
    [
      'docebo password grant',
      '  auth: { clientId: "${DOCEBO_CLIENT_ID}", clientSecret: "${DOCEBO_CLIENT_SECRET}" }',
      '  auth: { grant: password, clientId: a, clientSecret: b, username: api, password: "${DOCEBO_CLIENT_SECRET}" }',
      (c) => c.docebo.auth,
      { grant: 'password', clientId: 'a', clientSecret: 'b', username: 'api', password: 'dc-TOPSECRET-2' },
    ],
    [
      'match keys in order',
      '  - { docebo: email, salesforce: Email }',
      '  - { docebo: field_1, salesforce: Id }\n  - { docebo: username, salesforce: Account.Login__c }',
      (c) => c.match.map((m) => m.docebo),
      ['field_1', 'username'],
    ],
  ])('%s', (_label, from, to, pick, expected) => {
    expect(pick(parseConfig(edit(from, to), ENV, '/srv/roster'))).toEqual(expected);
  });

  it('reads the JWT key file relative to the config directory, with the default audience', () => {
    const text = edit(
      '  auth: { flow: client_credentials, clientId: "${SF_CLIENT_ID}", clientSecret: "${SF_CLIENT_SECRET}" }',
      '  auth: { flow: jwt, clientId: "${SF_CLIENT_ID}", username: api@acme.example, privateKeyFile: ./keys/sf.pem }',
    );
    const read: string[] = [];
    const config = parseConfig(text, ENV, '/srv/roster', {
      readKeyFile: (p) => {
        read.push(p);
        return '-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n';
      },
    });
    expect(read).toEqual(['/srv/roster/keys/sf.pem']);
    expect(config.salesforce.auth).toEqual({
      flow: 'jwt',
      clientId: 'sf-id',
      username: 'api@acme.example',
      privateKeyFile: '/srv/roster/keys/sf.pem',
      privateKey: '-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n',
      audience: 'https://login.salesforce.com',
    });
    expect(parseConfig(text, ENV, '/srv/roster').salesforce.auth).toMatchObject({ privateKey: null });
  });

  it('uses DATABASE_URL only when store is not set', () => {
    const env = { ...ENV, DATABASE_URL: 'postgres://u:pw@db/roster' };
    expect(parseConfig(MINIMAL, env, '/srv').store).toBe('postgres://u:pw@db/roster');
    expect(parseConfig(edit('scope:', 'store: sqlite:./x.db\nscope:'), env, '/srv').store).toBe(
      'sqlite:/srv/x.db',
    );
  });
});

describe('parseConfig: validated once, narrowed and frozen', () => {
  it('requires serve.adminToken only for the admin API (serve, status)', () => {
    expect(parseConfig(MINIMAL, ENV, '/srv/roster').serve.adminToken).toBeUndefined();
    expect(problemsOf(() => parseConfig(MINIMAL, ENV, '/srv/roster', { adminApi: true })).problems).toEqual([
      expect.objectContaining({ path: 'serve.adminToken', message: expect.stringContaining('required') }),
    ]);
    const token = 'a'.repeat(24);
    const config = parseConfig(`${MINIMAL}\nserve: { adminToken: ${token} }\n`, ENV, '/srv/roster', {
      adminApi: true,
    });
    expect(config.serve.adminToken).toBe(token);
  });

  it('refuses outbound messages enabled with a bad org id or a short secret, each at its path', () => {
    expect(
      problemsOf(() =>
        parseConfig(
          `${MINIMAL}\nfeeds:\n  outboundMessages: { enabled: true, organizationId: "00D", secret: "x" }\n`,
          ENV,
          '/srv/roster',
        ),
      ).problems.map((p) => p.path),
    ).toEqual(['feeds.outboundMessages.organizationId', 'feeds.outboundMessages.secret']);
  });

  it('is deeply frozen, so nothing downstream can change what was validated', () => {
    const config = parseConfig(MINIMAL, ENV, '/srv/roster');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.docebo.auth)).toBe(true);
    expect(Object.isFrozen(config.rules[0])).toBe(true);
    expect(() => {
      (config.docebo as { batchSize: number }).batchSize = 1;
    }).toThrow(TypeError);
  });
});
