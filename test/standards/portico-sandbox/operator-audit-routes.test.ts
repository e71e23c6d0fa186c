import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AuditApi, AuditQuery } from '../../../src/modules/audit/index.ts';
import type { DeadLetterQueue } from '../../../src/modules/events/index.ts';
import type { DirectoryApi } from '../../../src/modules/directory/index.ts';
import { sandboxOperatorRoutes } from '../../../src/standards/portico-sandbox/v1/operator.routes.ts';

describe('sandbox operator API: the audit trail for the CLI', () => {
  let app: FastifyInstance;
  const asked: Array<{ kind: 'search' | 'export'; query: AuditQuery; limit: number; cursor?: string | undefined }> = [];
  const audit: Pick<AuditApi, 'verify' | 'search' | 'exportPage'> = {
    verify: async () => ({ ok: true, partitions: [] }),
    search: async (query, limit, cursor) => (asked.push({ kind: 'search', query, limit, cursor }), { records: [] }),
    exportPage: async (query, limit, cursor) => (asked.push({ kind: 'export', query, limit, cursor }), { records: [], next: undefined }),
  };
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: 'Bearer operator-token' } });

  before(async () => {
    // As the platform's server validates (src/platform/http/build-http-server.ts): unknown members refused, not removed.
    app = Fastify({ ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } } });
    await app.register(sandboxOperatorRoutes, { directory: {} as DirectoryApi, deadLetters: {} as DeadLetterQueue, audit, changeAccountStatus: undefined, operatorToken: 'operator-token' });
    await app.ready();
  });
  after(() => app.close());

  it('pages the export on the cursor it gave, oldest first; the search, which has no pages, refuses a cursor rather than ignoring it', async () => {
    const exported = await get('/sandbox/v1/operator/audit/export?client=client-1&from=2026-12-06&cursor=abc');
    assert.deepEqual([exported.statusCode, exported.json()], [200, { records: [] }]);
    assert.deepEqual(asked.map((a) => [a.kind, a.query.clientId, a.query.from?.toISOString(), a.limit, a.cursor]), [['export', 'client-1', '2026-12-06T00:00:00.000Z', 1000, 'abc']]);
    const searched = await get('/sandbox/v1/operator/audit/records?cursor=abc');
    assert.equal(searched.statusCode, 400);
    assert.equal(asked.length, 1, 'nothing searched');
  });
});
