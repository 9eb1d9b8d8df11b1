// The roster.yaml `roster demo` writes for its simulators: the README's example, pointed at local
// URLs. Credentials still go through `${VAR:-default}` so the file shows how secrets are meant to be set.
export interface DemoConfigInput {
  sfUrl: string;
  doceboUrl: string;
  /** `sqlite:PATH` or a PostgreSQL URL. */
  store: string;
  /** Defaults for the simulators' OAuth clients. */
  salesforceClient?: { id: string; secret: string };
  doceboClient?: { id: string; secret: string };
  /** The `guards:` block (YAML, ending in a newline); by default limits that fit the demo's story. */
  guards?: string;
}

// The demo retires ACME and Globex together: 25 of ~400 learners, over the default 5 % per run.
export const DEMO_GUARDS = `guards: # blast-radius limits: over them, retirements wait for \`roster approve\`
  maxRetirementsPerRun: 500
  maxRetirementsPercent: 10
  maxPerAccount: 200
  minSourceShare: 80
`;

// JSON strings are valid YAML double-quoted scalars, so any URL or path is quoted safely.
const q = (s: string) => JSON.stringify(s);

export function demoConfigYaml(input: DemoConfigInput): string {
  const sf = input.salesforceClient ?? { id: 'roster-demo', secret: 'roster-demo-secret' };
  const docebo = input.doceboClient ?? { id: 'roster-demo', secret: 'roster-demo-secret' };
  return `# Roster demo configuration: local Salesforce and Docebo simulators.
salesforce:
  loginUrl: ${q(input.sfUrl)}
  apiVersion: "66.0"
  auth:
    flow: client_credentials
    clientId: ${q(`\${SF_CLIENT_ID:-${sf.id}}`)}
    clientSecret: ${q(`\${SF_CLIENT_SECRET:-${sf.secret}}`)}
  batchSize: 2000
docebo:
  baseUrl: ${q(input.doceboUrl)}
  auth:
    clientId: ${q(`\${DOCEBO_CLIENT_ID:-${docebo.id}}`)}
    clientSecret: ${q(`\${DOCEBO_CLIENT_SECRET:-${docebo.secret}}`)}
  callsPerHour: 1000
  batchSize: 100
  batchIdentifyBy: user_id
  timezone: UTC
scope:
  contacts: "Docebo_Access__c = true"
match:
  - { docebo: email, salesforce: Email }
rules:
  - name: account-retired
    when: "Account.Status__c = 'Inactive'"
    retireOn: Account.Retired_Date__c
  - name: contact-left
    when: "Left_Date__c != null"
    retireOn: Left_Date__c
retire:
  mode: expire-and-deactivate
${input.guards ?? DEMO_GUARDS}store: ${q(input.store)}
`;
}
