// Pub/Sub errors in Salesforce's shape: the `error-code` and `rpc-id` trailers, and both again in the
// status details.
import * as grpc from '@grpc/grpc-js';

// Codes Salesforce puts in the `error-code` trailer (seen in client code handling them; ⚠ not in the
// reference document itself).
export const ERR_AUTH = 'sfdc.platform.eventbus.grpc.service.auth.error';
export const ERR_REPLAY = 'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted';
export const ERR_TOPIC = 'sfdc.platform.eventbus.grpc.subscription.topic.notfound';
export const ERR_ARG = 'sfdc.platform.eventbus.grpc.fetch.invalid.argument';

export type GrpcError = Partial<grpc.StatusObject> & { code: grpc.status };

export function rpcError(code: grpc.status, details: string, errorCode: string, rpcId: string): GrpcError {
  const metadata = new grpc.Metadata();
  metadata.set('error-code', errorCode);
  metadata.set('rpc-id', rpcId);
  return { code, details: `${errorCode}: ${details} rpcId: ${rpcId}`, metadata };
}
