// LmsTarget for Docebo: lists users 200 a page (a user seen on two pages counts once), writes access
// changes through the batch import in strictly sequential calls, and reports per-user failures as data.
// A batch Docebo answered with a 2xx is never sent again: when its answer cannot be read, its rows come
// back unconfirmed and the executor settles them against Docebo's state.
import type { LmsChange, LmsUser, LmsWriteOutcome } from '../../domain/lms.ts';
import type { AccessCheck } from '../../ports/access-check.ts';
import type { CallBudget } from '../../ports/call-budget.ts';
import type { Clock } from '../../ports/clock.ts';
import type { LmsTarget } from '../../ports/lms-target.ts';
import { doceboAccessChecks } from './docebo-access-check.ts';
import {
  BATCH_PATH,
  batchOutcomes,
  batchRequest,
  unconfirmed,
  type BatchIdentifyBy,
} from './docebo-batch.ts';
import { DoceboHttp, UnreadableAnswerError } from './docebo-http.ts';
import { batchResponseSchema, userItemSchema, userPageSchema } from './docebo-schemas.ts';
import { RosterError } from '../../domain/errors.ts';
import { toLmsUser } from './docebo-user-mapping.ts';

export interface DoceboLmsTargetOptions {
  baseUrl: string;
  grant: 'client_credentials' | 'password';
  clientId: string;
  clientSecret: string;
  username?: string;
  password?: string;
  batchIdentifyBy: BatchIdentifyBy;
  /** What a batch row carries to remove an expiration date (docebo.clearExpirationWith); default "". */
  clearExpirationWith?: '' | null;
  budget: CallBudget;
  clock: Clock;
  maxRetries?: number;
  random?: () => number;
}

const PAGE_SIZE = 200;
const USERS_PATH = '/manage/v1/user';
// Safety stop for a platform that keeps saying has_more_data: 10 million users.
const MAX_PAGES = 50_000;

export class DoceboLmsTarget implements LmsTarget {
  private readonly http: DoceboHttp;
  private readonly opts: DoceboLmsTargetOptions;
  /** Batch calls must never overlap (Docebo forbids concurrent batch calls): one chain for all of them. */
  private batchChain: Promise<unknown> = Promise.resolve();

  constructor(opts: DoceboLmsTargetOptions) {
    this.opts = opts;
    this.http = new DoceboHttp(opts);
  }

  async listUsers(onProgress?: (fetched: number, total: number | null) => void): Promise<LmsUser[]> {
    // By id: a user added or changed between two page calls can show up on both pages; the later
    // sighting is the fresher one.
    const users = new Map<string, LmsUser>();
    for (let page = 1; page <= MAX_PAGES; page++) {
      const res = await this.http.request(
        {
          method: 'GET',
          path: USERS_PATH,
          // A fixed sort keeps pages stable while we walk them.
          query: { page, page_size: PAGE_SIZE, sort_attr: 'username', sort_dir: 'asc', get_total_count: 1 },
        },
        userPageSchema,
      );
      for (const [index, raw] of res.data.items.entries()) {
        const item = userItemSchema.safeParse(raw);
        if (!item.success) {
          const issue = item.error.issues[0];
          throw new RosterError(
            'ROSTER_DOCEBO_BAD_RESPONSE',
            `GET ${USERS_PATH}: page ${page}, item ${index} is not a user (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'unexpected shape'})`,
            { cause: item.error },
          );
        }
        const user = toLmsUser(item.data);
        users.delete(user.id);
        users.set(user.id, user);
      }
      onProgress?.(users.size, res.data.total_count ?? null);
      const more =
        res.data.has_more_data ??
        (res.data.total_page_count !== undefined
          ? page < res.data.total_page_count
          : res.data.items.length === PAGE_SIZE);
      if (!more || res.data.items.length === 0) break;
    }
    return [...users.values()];
  }

  writeBatch(changes: LmsChange[]): Promise<LmsWriteOutcome[]> {
    const run = this.batchChain.then(() => this.postBatch(changes));
    this.batchChain = run.catch(() => undefined);
    return run;
  }

  private async postBatch(changes: LmsChange[]): Promise<LmsWriteOutcome[]> {
    if (changes.length === 0) return [];
    const { body, sent, refused } = batchRequest(changes, {
      identifyBy: this.opts.batchIdentifyBy,
      // `??` would turn a configured null into "".
      clearExpirationWith: this.opts.clearExpirationWith === undefined ? '' : this.opts.clearExpirationWith,
    });
    if (sent.length === 0) return refused;
    try {
      const res = await this.http.request({ method: 'POST', path: BATCH_PATH, body }, batchResponseSchema, {
        repeatable: false,
      });
      return [...batchOutcomes(sent, res.data), ...refused];
    } catch (e) {
      if (e instanceof UnreadableAnswerError) return [...unconfirmed(sent, e.message), ...refused];
      throw e;
    }
  }

  checkAccess(): Promise<AccessCheck[]> {
    return doceboAccessChecks(this.http, {
      grant: this.opts.grant,
      ...(this.opts.username ? { username: this.opts.username } : {}),
    });
  }
}
