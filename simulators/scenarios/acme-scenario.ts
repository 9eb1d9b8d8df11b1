// The demo and test world: ACME (Charlie Brown and colleagues) among several hundred contacts at other
// companies, a few people with no Docebo user, contacts outside Roster's scope, and one email that two
// Docebo users share. Deterministic: the same size gives the same world.

export interface ScenarioAccount {
  ref: string;
  Name: string;
  Status__c: string;
  Retired_Date__c: string | null;
}

export interface ScenarioContact {
  ref: string;
  accountRef: string | null;
  FirstName: string;
  LastName: string;
  Email: string | null;
  Docebo_Access__c: boolean;
  Left_Date__c: string | null;
}

export interface ScenarioUser {
  username: string;
  email: string | null;
  first_name: string;
  last_name: string;
  active: boolean;
  expiration_date: string | null;
}

export interface Scenario {
  accounts: ScenarioAccount[];
  contacts: ScenarioContact[];
  users: ScenarioUser[];
}

const ACME_PEOPLE: [string, string][] = [
  ['Charlie', 'Brown'],
  ['Lucy', 'van Pelt'],
  ['Linus', 'van Pelt'],
  ['Sally', 'Brown'],
  ['Peppermint', 'Patty'],
  ['Schroeder', 'Keys'],
  ['Marcie', 'Johnson'],
  ['Franklin', 'Armstrong'],
  ['Pig', 'Pen'],
  ['Frieda', 'Curls'],
  ['Violet', 'Gray'],
  ['Rerun', 'van Pelt'],
];

const COMPANIES = [
  'Globex',
  'Initech',
  'Umbrella Learning',
  'Stark Industries',
  'Wayne Enterprises',
  'Hooli',
  'Vandelay Industries',
  'Soylent',
  'Tyrell',
  'Cyberdyne',
  'Wonka Industries',
  'Gringotts',
  'Oscorp',
  'Aperture Science',
  'Black Mesa',
  'Dunder Mifflin',
  'Pied Piper',
  'Massive Dynamic',
  'Monarch Solutions',
  'Prestige Worldwide',
  'Nakatomi Trading',
  'Bluth Company',
  'Krusty Krab',
  'Los Pollos Hermanos',
  'Sterling Cooper',
  'Wernham Hogg',
  'Virtucon',
  'Zorg',
];

const FIRST = [
  'Ava',
  'Ben',
  'Chloe',
  'Dev',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemi',
  'Lars',
  'Maya',
  'Nils',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tara',
  'Uma',
  'Viktor',
  'Wen',
  'Yara',
  'Zoe',
];
const LAST = [
  'Adams',
  'Baker',
  'Chen',
  'Diaz',
  'Evans',
  'Fischer',
  'Garcia',
  'Hansen',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Müller',
  'Novak',
  'Okafor',
  'Patel',
  'Rossi',
  'Silva',
  'Tanaka',
  'Weber',
];

// A small deterministic generator so every run builds the same world.
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

export function acmeScenario(opts: { otherContacts?: number } = {}): Scenario {
  const rand = prng(42);
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)] as T;
  const accounts: ScenarioAccount[] = [
    { ref: 'acme', Name: 'ACME Corporation', Status__c: 'Active', Retired_Date__c: null },
  ];
  const contacts: ScenarioContact[] = [];
  const users: ScenarioUser[] = [];

  const addPerson = (
    ref: string,
    accountRef: string,
    first: string,
    last: string,
    domain: string,
    opts2: { inScope?: boolean; hasUser?: boolean } = {},
  ) => {
    const email = `${slug(first)}.${slug(last)}@${domain}`;
    const inScope = opts2.inScope ?? true;
    contacts.push({
      ref,
      accountRef,
      FirstName: first,
      LastName: last,
      Email: email,
      Docebo_Access__c: inScope,
      Left_Date__c: null,
    });
    if (opts2.hasUser ?? true)
      users.push({
        username: email,
        email,
        first_name: first,
        last_name: last,
        active: true,
        expiration_date: null,
      });
  };

  ACME_PEOPLE.forEach(([first, last], i) =>
    addPerson(i === 0 ? 'charlie' : `acme-${i}`, 'acme', first, last, 'acme.example'),
  );
  // An ACME contractor outside the scope (no "Docebo access" in Salesforce) who still has a Docebo user: Roster must not touch them.
  addPerson('acme-contractor', 'acme', 'Snoopy', 'Beagle', 'acme.example', { inScope: false });
  // An ACME contact who never got a Docebo user.
  addPerson('acme-no-user', 'acme', 'Woodstock', 'Bird', 'acme.example', { hasUser: false });

  COMPANIES.forEach((name, i) =>
    accounts.push({ ref: `co-${i}`, Name: name, Status__c: 'Active', Retired_Date__c: null }),
  );
  const others = opts.otherContacts ?? 400;
  for (let i = 0; i < others; i++) {
    const company = i % COMPANIES.length;
    const first = pick(FIRST);
    const last = `${pick(LAST)}${i}`;
    addPerson(`c-${i}`, `co-${company}`, first, last, `${slug(COMPANIES[company] ?? 'co')}.example`, {
      inScope: i % 23 !== 7,
      hasUser: i % 37 !== 5,
    });
  }
  // Two Docebo users share one email (a re-registered learner): Roster reports it and writes neither.
  const shared = contacts.find((c) => c.ref === 'c-11');
  if (shared?.Email) {
    users.push({
      username: `${shared.FirstName.toLowerCase()}.old`,
      email: shared.Email.toUpperCase(),
      first_name: shared.FirstName,
      last_name: shared.LastName,
      active: true,
      expiration_date: null,
    });
  }
  return { accounts, contacts, users };
}
