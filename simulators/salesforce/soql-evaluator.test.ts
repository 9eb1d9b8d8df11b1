import { beforeEach, describe, expect, it } from 'vitest';
import { QueryService } from './query-service.ts';
import { SalesforceState, SimClock } from './salesforce-state.ts';
import { Schema } from './schema.ts';
import { SfError } from './sf-errors.ts';

const NOW = new Date('2026-03-10T12:00:00Z');

function world() {
  const state = new SalesforceState(
    new Schema({
      Account: { Status__c: 'string', Retired_Date__c: 'date', Seats__c: 'number' },
      Contact: { Docebo_Access__c: 'boolean', Left_Date__c: 'date', Last_Login__c: 'datetime' },
    }),
    new SimClock(() => NOW),
  );
  const ids = state.seed({
    accounts: [
      { ref: 'acme', Name: 'ACME', Status__c: 'Inactive', Retired_Date__c: '2026-03-01', Seats__c: 10 },
      { ref: 'globex', Name: 'Globex', Status__c: 'Active', Seats__c: 2.5 },
      { ref: 'initech', Name: 'Initech', Status__c: null },
    ],
    contacts: [
      {
        ref: 'charlie',
        accountRef: 'acme',
        FirstName: 'Charlie',
        LastName: 'Brown',
        Email: 'charlie@acme.example',
        Docebo_Access__c: true,
        Left_Date__c: '2026-03-10',
      },
      {
        ref: 'lucy',
        accountRef: 'acme',
        FirstName: 'Lucy',
        LastName: 'van Pelt',
        Email: 'lucy@acme.example',
        Docebo_Access__c: true,
        Left_Date__c: '2026-03-09',
        Last_Login__c: '2026-03-10T08:00:00Z',
      },
      {
        ref: 'hank',
        accountRef: 'globex',
        FirstName: 'Hank',
        LastName: 'Scorpio',
        Email: 'hank@globex.example',
        Docebo_Access__c: false,
        Left_Date__c: '2026-02-01',
        Last_Login__c: '2026-03-01T00:00:00Z',
      },
      {
        ref: 'peter',
        accountRef: 'initech',
        FirstName: 'Peter',
        LastName: 'Gibbons',
        Email: null,
        Docebo_Access__c: true,
      },
      { ref: 'solo', accountRef: null, LastName: '50% Solo_Act' },
    ],
  });
  const byId = Object.fromEntries(Object.entries(ids).map(([ref, id]) => [id, ref]));
  const queries = new QueryService(state);
  const refs = (soql: string, all = false) => queries.select(soql, all).rows.map((r) => byId[r.id]);
  return { state, ids, queries, refs };
}

let w: ReturnType<typeof world>;
beforeEach(() => {
  w = world();
});

const C = 'SELECT Id FROM Contact';

describe('SOQL evaluator: comparison operators', () => {
  it.each([
    [`${C} WHERE LastName = 'brown'`, ['charlie']],
    [`${C} WHERE LastName != 'Brown'`, ['lucy', 'hank', 'peter', 'solo']],
    [`${C} WHERE LastName <> 'Brown'`, ['lucy', 'hank', 'peter', 'solo']],
    [`${C} WHERE Left_Date__c < 2026-03-09`, ['hank']],
    [`${C} WHERE Left_Date__c <= 2026-03-09`, ['lucy', 'hank']],
    [`${C} WHERE Left_Date__c > 2026-03-09`, ['charlie']],
    [`${C} WHERE Left_Date__c >= 2026-03-09`, ['charlie', 'lucy']],
    [`${C} WHERE Email LIKE '%@acme.example'`, ['charlie', 'lucy']],
    [`${C} WHERE FirstName LIKE 'h_nk'`, ['hank']],
    [`${C} WHERE LastName LIKE '50\\% Solo\\_%'`, ['solo']],
    [`${C} WHERE LastName LIKE '50\\%X%'`, []],
    [`${C} WHERE FirstName IN ('charlie', 'HANK')`, ['charlie', 'hank']],
    [`${C} WHERE FirstName NOT IN ('Charlie', 'Hank')`, ['lucy', 'peter', 'solo']],
    [`${C} WHERE Email = null`, ['peter', 'solo']],
    [`${C} WHERE Email != null`, ['charlie', 'lucy', 'hank']],
    [`${C} WHERE Docebo_Access__c = true`, ['charlie', 'lucy', 'peter']],
    [`${C} WHERE Docebo_Access__c = FALSE`, ['hank', 'solo']],
    [`${C} WHERE Account.Seats__c > 2`, ['charlie', 'lucy', 'hank']],
    [`${C} WHERE Account.Seats__c = 2.5`, ['hank']],
    [`${C} WHERE Account.Seats__c < 5`, ['hank']],
    [`${C} WHERE Last_Login__c > 2026-03-05T00:00:00Z`, ['lucy']],
    [`${C} WHERE Last_Login__c <= 2026-03-01T01:00:00+01:00`, ['hank']],
    [`${C} WHERE Account.Status__c = 'Inactive'`, ['charlie', 'lucy']],
    [`${C} WHERE Account.Status__c = null`, ['peter', 'solo']],
    [`${C} WHERE Account.Status__c != 'Inactive'`, ['hank', 'peter', 'solo']],
  ])('%s', (soql, expected) => {
    expect(w.refs(soql)).toEqual(expected);
  });

  it('compares ids in 15- and 18-character form, case-insensitively for 18', () => {
    const id = w.ids.charlie ?? '';
    expect(w.refs(`${C} WHERE Id = '${id.toLowerCase()}'`)).toEqual(['charlie']);
    expect(w.refs(`${C} WHERE Id = '${id.slice(0, 15)}'`)).toEqual(['charlie']);
    expect(w.refs(`${C} WHERE AccountId = '${w.ids.acme}'`)).toEqual(['charlie', 'lucy']);
  });
});

describe('SOQL evaluator: AND, OR, NOT and parentheses', () => {
  it.each([
    [`${C} WHERE Docebo_Access__c = true AND Account.Status__c = 'Inactive'`, ['charlie', 'lucy']],
    [`${C} WHERE FirstName = 'Hank' OR FirstName = 'Peter'`, ['hank', 'peter']],
    [`${C} WHERE NOT FirstName = 'Hank'`, ['charlie', 'lucy', 'peter', 'solo']],
    [`${C} WHERE NOT (FirstName = 'Hank' OR Email = null)`, ['charlie', 'lucy']],
    [`${C} WHERE (FirstName = 'Hank' OR FirstName = 'Peter') AND Docebo_Access__c = true`, ['peter']],
    [
      `${C} WHERE Docebo_Access__c = true AND (Left_Date__c = null OR Left_Date__c > 2026-03-09)`,
      ['charlie', 'peter'],
    ],
    [`${C} WHERE NOT Docebo_Access__c = true AND Email != null`, ['hank']],
    [`${C} WHERE ((FirstName = 'Hank'))`, ['hank']],
  ])('%s', (soql, expected) => {
    expect(w.refs(soql)).toEqual(expected);
  });

  it('refuses AND and OR mixed without parentheses, as Salesforce does', () => {
    expect(() => w.refs(`${C} WHERE FirstName = 'a' AND LastName = 'b' OR Email = null`)).toThrow(/mixed/);
  });
});

describe('SOQL evaluator: date literals by the simulator clock (2026-03-10)', () => {
  it.each([
    [`${C} WHERE Left_Date__c = TODAY`, ['charlie']],
    [`${C} WHERE Left_Date__c = YESTERDAY`, ['lucy']],
    [`${C} WHERE Left_Date__c < TODAY`, ['lucy', 'hank']],
    [`${C} WHERE Left_Date__c <= YESTERDAY`, ['lucy', 'hank']],
    [`${C} WHERE Left_Date__c > YESTERDAY`, ['charlie']],
    [`${C} WHERE Left_Date__c >= TODAY`, ['charlie']],
    [`${C} WHERE Left_Date__c != TODAY`, ['lucy', 'hank', 'peter', 'solo']],
    [`${C} WHERE Left_Date__c = LAST_N_DAYS:1`, ['charlie', 'lucy']],
    [`${C} WHERE Left_Date__c = LAST_N_DAYS:60`, ['charlie', 'lucy', 'hank']],
    [`${C} WHERE Left_Date__c < LAST_N_DAYS:30`, ['hank']],
    [`${C} WHERE Last_Login__c = TODAY`, ['lucy']],
    [`${C} WHERE Last_Login__c = LAST_N_DAYS:10`, ['lucy', 'hank']],
    [`${C} WHERE CreatedDate = TODAY`, ['charlie', 'lucy', 'hank', 'peter', 'solo']],
  ])('%s', (soql, expected) => {
    expect(w.refs(soql)).toEqual(expected);
  });

  it('moves with the clock', () => {
    w.state.clock.advanceDays(1);
    expect(w.refs(`${C} WHERE Left_Date__c = YESTERDAY`)).toEqual(['charlie']);
  });
});

describe('SOQL evaluator: ORDER BY, LIMIT, OFFSET', () => {
  it.each([
    [`${C} ORDER BY FirstName`, ['solo', 'charlie', 'hank', 'lucy', 'peter']],
    [`${C} ORDER BY FirstName ASC NULLS LAST`, ['charlie', 'hank', 'lucy', 'peter', 'solo']],
    [`${C} ORDER BY FirstName DESC`, ['peter', 'lucy', 'hank', 'charlie', 'solo']],
    [`${C} ORDER BY FirstName DESC NULLS FIRST`, ['solo', 'peter', 'lucy', 'hank', 'charlie']],
    [`${C} ORDER BY Account.Name DESC NULLS LAST, FirstName`, ['peter', 'hank', 'charlie', 'lucy', 'solo']],
    [`${C} ORDER BY Left_Date__c NULLS LAST`, ['hank', 'lucy', 'charlie', 'peter', 'solo']],
    [`${C} ORDER BY FirstName NULLS LAST LIMIT 2`, ['charlie', 'hank']],
    [`${C} ORDER BY FirstName NULLS LAST LIMIT 2 OFFSET 2`, ['lucy', 'peter']],
    [`${C} ORDER BY FirstName NULLS LAST OFFSET 4`, ['solo']],
  ])('%s', (soql, expected) => {
    expect(w.refs(soql)).toEqual(expected);
  });
});

describe('SOQL evaluator: deleted rows and COUNT()', () => {
  it('hides deleted rows unless queryAll, where IsDeleted = true finds them', () => {
    w.state.delete('Contact', w.ids.hank ?? '');
    expect(w.refs(`${C} WHERE FirstName = 'Hank'`)).toEqual([]);
    expect(w.refs(`${C} WHERE IsDeleted = true`, true)).toEqual(['hank']);
  });

  it('counts with SELECT COUNT()', () => {
    const page = w.queries.run(`SELECT COUNT() FROM Contact WHERE Docebo_Access__c = true`, {
      includeDeleted: false,
      version: '66.0',
      batchSize: null,
    });
    expect(page).toEqual({ totalSize: 3, done: true, records: [] });
  });
});

describe('SOQL evaluator: errors', () => {
  const code = (soql: string) => {
    try {
      w.refs(soql);
    } catch (e) {
      return e instanceof SfError ? `${e.status} ${e.errorCode}` : String(e);
    }
    return 'no error';
  };
  it.each([
    ['SELECT Id FRM Contact', '400 MALFORMED_QUERY'],
    ['SELECT Id FROM Contact WHERE', '400 MALFORMED_QUERY'],
    ['SELECT Id FROM Contact GROUP BY Id', '400 MALFORMED_QUERY'],
    ['SELECT Id, (SELECT Id FROM Contacts) FROM Account', '400 MALFORMED_QUERY'],
    ['SELECT Id FROM Contact WHERE AccountId IN (SELECT Id FROM Account)', '400 MALFORMED_QUERY'],
    ['SELECT COUNT(Id) FROM Contact', '400 MALFORMED_QUERY'],
    ['SELECT Id FROM Contact WHERE CreatedDate = LAST_FISCAL_YEAR', '400 MALFORMED_QUERY'],
    ['SELECT Id, id FROM Contact', '400 MALFORMED_QUERY'],
    ['SELECT Id, Unknown__c FROM Contact', '400 INVALID_FIELD'],
    ['SELECT Id FROM Contact WHERE Account.Nope__c = 1', '400 INVALID_FIELD'],
    ['SELECT Id, Owner.Name FROM Contact', '400 INVALID_FIELD'],
    ['SELECT Id FROM Contact ORDER BY Nope__c', '400 INVALID_FIELD'],
    ["SELECT Id FROM Contact WHERE Left_Date__c = '2026-01-01'", '400 INVALID_FIELD'],
    ['SELECT Id FROM Contact WHERE Left_Date__c = 2026-01-01T00:00:00Z', '400 INVALID_FIELD'],
    ["SELECT Id FROM Contact WHERE Docebo_Access__c = 'true'", '400 INVALID_FIELD'],
    ['SELECT Id FROM Contact WHERE Docebo_Access__c > true', '400 INVALID_FIELD'],
    ['SELECT Id FROM Lead', '400 INVALID_TYPE'],
  ])('%s → %s', (soql, expected) => {
    expect(code(soql)).toBe(expected);
  });

  it('names the unknown field in the message', () => {
    expect(() => w.refs('SELECT Id FROM Contact WHERE Status__c = null')).toThrow(
      /No such column 'Status__c' on entity 'Contact'/,
    );
  });

  it('reads field names case-insensitively', () => {
    expect(
      w.refs(
        `SELECT id, ACCOUNT.status__C FROM contact WHERE docebo_access__c = true AND firstname = 'Peter'`,
      ),
    ).toEqual(['peter']);
  });
});
