// What the Pub/Sub API needs on every call: an access token, the instance URL and the org id. Logs in
// the same way the REST adapter does; the org id comes from the token's identity, else from userinfo.
import { z } from 'zod';
import type { SalesforceAuth } from '../../config/config-schema.ts';
import { openConnection } from './salesforce-connection.ts';

/** What every Pub/Sub API call carries (feeds/cdc/pubsub-client.ts sends it as metadata). */
export interface PubSubSession {
  accessToken: string;
  instanceUrl: string;
  orgId: string;
}

const userinfoSchema = z.looseObject({ organization_id: z.string() });

export async function openPubSubSession(opts: {
  loginUrl: string;
  apiVersion: string;
  auth: SalesforceAuth;
}): Promise<PubSubSession> {
  const conn = await openConnection(opts);
  const accessToken = conn.accessToken;
  const instanceUrl = conn.instanceUrl;
  if (!accessToken || !instanceUrl)
    throw new Error('Salesforce login returned no access token or instance URL');
  let orgId = conn.userInfo?.organizationId;
  if (!orgId) {
    const info = userinfoSchema.parse(await conn.request('/services/oauth2/userinfo'));
    orgId = info.organization_id;
  }
  return { accessToken, instanceUrl: instanceUrl.replace(/\/+$/, ''), orgId };
}
