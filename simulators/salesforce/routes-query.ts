// Versions, the resource list, query/queryAll with paging, and limits.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { batchSizeFrom } from './query-service.ts';
import { versionList, type SimContext } from './sim-context.ts';
import { malformedQuery } from './sf-errors.ts';

export const versionOf = (req: FastifyRequest) => ((req.params as { v?: string }).v ?? '').replace(/^v/, '');

export function registerQueryRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/services/data', async () => versionList());

  app.get('/services/data/:v', async (req) => {
    const base = `/services/data/v${versionOf(req)}`;
    return {
      limits: `${base}/limits`,
      sobjects: `${base}/sobjects`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
    };
  });

  const query = (includeDeleted: boolean) => async (req: FastifyRequest) => {
    const q = (req.query as { q?: string }).q;
    if (!q) throw malformedQuery('A query string has to be specified');
    return ctx.queries.run(q, {
      includeDeleted,
      version: versionOf(req),
      batchSize: batchSizeFrom(req.headers['sforce-query-options']),
    });
  };
  app.get('/services/data/:v/query', query(false));
  app.get('/services/data/:v/queryAll', query(true));

  const more = async (req: FastifyRequest) =>
    ctx.queries.more(
      (req.params as { locator: string }).locator,
      batchSizeFrom(req.headers['sforce-query-options']),
    );
  app.get('/services/data/:v/query/:locator', more);
  app.get('/services/data/:v/queryAll/:locator', more);

  app.get('/services/data/:v/limits', async () => {
    const { used, max } = ctx.apiUsage;
    const cap = (Max: number, Remaining: number) => ({ Max, Remaining });
    return {
      DailyApiRequests: cap(max, Math.max(0, max - used)),
      ConcurrentAsyncGetReportInstances: cap(200, 200),
      DailyBulkApiBatches: cap(15000, 15000),
      DailyBulkV2QueryJobs: cap(10000, 10000),
      DailyBulkV2QueryFileStorageMB: cap(976562, 976562),
      DataStorageMB: cap(5, 5),
      FileStorageMB: cap(20, 20),
    };
  });
}
