import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { ConsentStatusChangedV2, createConsentsModule, retireCachedConsents, type AccessScope } from '../../../src/modules/consents/index.ts';
import { MemoryBus } from '../../../src/platform/bus/index.ts';
import type { Cache } from '../../../src/platform/cache/index.ts';
import { subjectOf } from '../../../src/platform/events/index.ts';
import { DIALECTS, useTestDatabaseAndCache } from '../../support/backends.ts';
import { silentLogger } from '../../support/silent-logger.ts';
import { waitFor } from '../../support/wait-for.ts';

const READ: AccessScope = { clusters: { accounts: 'detail', balances: 'basic', transactions: 'detail' }, directions: { credits: true, debits: true }, window: { from: null, to: null }, accounts: 'psu-selects' };

/** The shared cache, whose deletions (how generations are retired) fail once `failFrom` of them have been made. */
function droppingAfter(cache: Cache, failFrom: number): Cache {
  let deletions = 0;
  return Object.assign(Object.create(cache) as Cache, {
    del: async (...keys: string[]) => {
      if (++deletions > failFrom) throw new Error('the shared cache dropped');
      return cache.del(...keys);
    },
  });
}

for (const dialect of DIALECTS) {
  describe(`cached consents retired when they leave Authorised (${dialect} + Redis)`, () => {
    const backends = useTestDatabaseAndCache(dialect);
    const db = () => backends.database().db;

    async function authorisedConsent(cache: Cache) {
      const consents = createConsentsModule({ db: db(), cache });
      const consent = await consents.create({ kind: 'account-access', clientId: 'tpp-a', access: READ });
      await consents.authorise(consent.id, { psuId: 'psu-1', partyId: 'party-1', accountIds: ['acc-1'] });
      return { consents, id: consent.id };
    }

    it('a revocation whose cached copies cannot be retired after its commit (the cache dropped then) stands and is answered as done', async () => {
      const cache = droppingAfter(backends.cache, 1);
      const { consents, id } = await authorisedConsent(cache);
      const revoked = await consents.revoke(id, 'PSU');
      assert.equal(revoked.status, 'revoked');
      assert.equal((await consents.find(id))?.status, 'revoked');
    });

    it('the consumer of ConsentStatusChanged retires a copy that outlived its consent, so the next check reads it revoked', async () => {
      const { consents, id } = await authorisedConsent(backends.cache);
      assert.equal((await consents.findForRequest(id))?.status, 'authorised', 'remembered by this process');
      // The revocation committed, and its own retirement was lost (the cache dropped at that moment).
      await sql`UPDATE consents SET status = 'revoked', status_updated_at = now() WHERE id = ${id}`.execute(db());
      assert.equal((await consents.findForRequest(id))?.status, 'authorised', 'the stale copy the consumer exists for');

      const bus = new MemoryBus();
      const consumer = await retireCachedConsents({ bus, db: db(), cache: backends.cache, logger: silentLogger });
      try {
        await bus.publish({
          id: randomUUID(),
          subject: subjectOf(ConsentStatusChangedV2, id),
          occurredAt: new Date().toISOString(),
          type: ConsentStatusChangedV2.type,
          version: ConsentStatusChangedV2.version,
          aggregate: { type: ConsentStatusChangedV2.aggregateType, id, version: 3 },
          tppClientId: 'tpp-a',
          payload: { consentId: id, status: 'revoked', by: 'PSU' },
        });
        await waitFor(async () => (await consents.findForRequest(id))?.status === 'revoked', 'the revoked consent read again');
      } finally {
        await consumer.stop();
        await bus.close();
      }
    });
  });
}
