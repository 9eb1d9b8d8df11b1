// What the HTTP shell needs from the composition root. Everything is injected so that tests run the
// real server over real HTTP against fakes, and so that server/ never constructs an adapter.
import type { FastifyInstance } from 'fastify';
import type { ServiceStatus } from '../app/service-status.ts';
import type { Store } from '../ports/store.ts';

export interface ServerLog {
  info(msg: string, fields?: object): void;
  warn(msg: string, fields?: object): void;
}

export interface ServerDeps {
  /** 127.0.0.1 by default in config: the admin API is not meant for the open network. */
  host: string;
  /** 0 = any free port (tests). */
  port: number;
  /** From the environment via config; required (serve refuses to start without one). */
  adminToken: string;
  status(): Promise<ServiceStatus>;
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Runs, journal and queue listing (read-only here, except reviveDead). */
  store: Store;
  reconcileNow(): Promise<{ accepted: boolean; message: string }>;
  now(): Date;
  log: ServerLog;
  /** Extra routes (e.g. the Salesforce outbound-message endpoint), registered by their owners. */
  plugins?: ((app: FastifyInstance) => Promise<void> | void)[];
}
