// Salesforce serves the client credentials grant only on the org's own My Domain host; the shared login
// hosts answer `invalid_grant: request not supported on this domain` (reference §1.3). Caught here, the
// mistake names its field and its fix instead of surfacing as a failed login at the first run.
import type { ConfigProblem } from './config-problems.ts';

const SHARED_LOGIN_HOSTS = ['login.salesforce.com', 'test.salesforce.com'];

/** The shared login host a URL names (`login.salesforce.com`, `test.salesforce.com`), or null. */
export function sharedLoginHost(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  // Other schemes are already refused by the schema ("expected an http(s) URL").
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  return SHARED_LOGIN_HOSTS.includes(host) ? host : null;
}

/** Reads the interpolated YAML, so that it is reported with every other problem. */
export function clientCredentialsHostProblems(value: unknown): ConfigProblem[] {
  const salesforce = (value as { salesforce?: { loginUrl?: unknown; auth?: { flow?: unknown } } } | null)
    ?.salesforce;
  if (salesforce?.auth?.flow !== 'client_credentials' || typeof salesforce.loginUrl !== 'string') return [];
  const host = sharedLoginHost(salesforce.loginUrl);
  if (host === null) return [];
  return [
    {
      path: 'salesforce.loginUrl',
      message: `flow: client_credentials is served only on the org's My Domain host, not on ${host}`,
      fix:
        "use the org's My Domain URL (Setup → My Domain), e.g. https://acme.my.salesforce.com, " +
        'or https://acme--uat.sandbox.my.salesforce.com for a sandbox',
    },
  ];
}
