// What the HTTP shell needs from the composition root. Everything is injected so that tests run the
// real server over real HTTP against fakes, and so that server/ never constructs an adapter.
import type { FastifyInstance } from 'fastify';
import type { RecordUseCases } from '../app/record-use-cases.ts';
import type { ServiceStatus } from '../app/service/service-status.ts';
import type { Logger } from '../ports/logger.ts';

export interface ServerDeps {
  /** 127.0.0.1 by default in config: the admin API is not meant for the open network. */
  host: string;
  /** 0 = any free port (tests). */
  port: number;
  /** From the environment via config; required (serve refuses to start without one). */
  adminToken: string;
  status(): Promise<ServiceStatus>;
  metrics(): Promise<{ contentType: string; body: string }>;
  /** What the admin API reads and decides: the same use cases as the CLI, never the store. */
  records: Pick<RecordUseCases, 'queue' | 'retryDead' | 'listRuns' | 'listJournal' | 'decide'>;
  reconcileNow(): Promise<{ accepted: boolean; message: string }>;
  log: Logger;
  /** Extra routes (e.g. the Salesforce outbound-message endpoint), registered by their owners. */
  plugins?: ((app: FastifyInstance) => Promise<void> | void)[];
}
