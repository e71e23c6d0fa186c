import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type Provider from 'oidc-provider';
import { revokeGrantOnConsentEnd } from '../../src/auth/index.ts';
import { ConsentStatusChangedV1 } from '../../src/modules/consents/index.ts';
import { consentsOf } from '../support/consents-module.ts';
import { recordEvent } from '../../src/platform/events/index.ts';
import { MemoryBus } from '../../src/platform/bus/index.ts';
import { OutboxRelay } from '../../src/platform/outbox/index.ts';
import { DIALECTS, useTestDatabaseAndCache } from '../support/backends.ts';
import { silentLogger } from '../support/silent-logger.ts';
import { waitFor } from '../support/wait-for.ts';
import { obAccess } from '../support/ob-access.ts';

/** The parts of oidc-provider that `revokeGrant` calls, noting which grant each revoked. */
function recordingProvider() {
  const revoked: string[] = [];
  const note = (what: string) => async (grantId: string) => void revoked.push(`${what}:${grantId}`);
  const provider = {
    RefreshToken: { revokeByGrantId: note('refresh-tokens') },
    AuthorizationCode: { revokeByGrantId: note('codes') },
    Grant: { adapter: { destroy: note('grant') } },
  } as unknown as Provider;
  return { provider, revoked };
}

for (const dialect of DIALECTS) {
  describe(`auth reaction: a consent's end revokes its grant (${dialect})`, () => {
    const backends = useTestDatabaseAndCache(dialect);

    it('revokes the grant of a consent the TPP revokes, once, and leaves an authorised consent’s grant alone; reads version 1 too', async () => {
      const db = backends.database().db;
      const bus = new MemoryBus(10);
      const { provider, revoked } = recordingProvider();
      const reaction = await revokeGrantOnConsentEnd({ bus, db, consents: consentsOf(db), logger: silentLogger, provider });
      const relay = new OutboxRelay(db, bus, silentLogger, { pollMs: 10 });
      relay.start();
      try {
        const kept = await consentsOf(db).create({ kind: 'account-access', clientId: 'tpp-g', access: obAccess(['ReadBalances']) });
        await consentsOf(db).authorise(kept.id, { psuId: 'psu', partyId: 'party', accountIds: ['a'], grantId: 'grant-kept' });
        const ended = await consentsOf(db).create({ kind: 'account-access', clientId: 'tpp-g', access: obAccess(['ReadBalances']) });
        await consentsOf(db).authorise(ended.id, { psuId: 'psu', partyId: 'party', accountIds: ['a'], grantId: 'grant-ended' });
        await consentsOf(db, backends.cache).revoke(ended.id, 'TPP');
        const rejected = await consentsOf(db).create({ kind: 'account-access', clientId: 'tpp-g', access: obAccess(['ReadBalances']) });
        await consentsOf(db).reject(rejected.id);
        // A revocation recorded before the statuses were neutral, as version 1 named it.
        const legacy = await consentsOf(db).create({ kind: 'account-access', clientId: 'tpp-g', access: obAccess(['ReadBalances']) });
        await consentsOf(db).authorise(legacy.id, { psuId: 'psu', partyId: 'party', accountIds: ['a'], grantId: 'grant-legacy' });
        await recordEvent(db, ConsentStatusChangedV1, { aggregateId: legacy.id, tppClientId: 'tpp-g', payload: { consentId: legacy.id, status: 'Revoked', by: 'PSU' } });
        await waitFor(async () => (await db.selectFrom('processed_events').select('event_id').where('consumer', '=', 'auth-revoke-consent-grants').execute()).length === 6, 'the six ConsentStatusChanged events consumed');
        assert.deepEqual(revoked.sort(), ['codes:grant-ended', 'codes:grant-legacy', 'grant:grant-ended', 'grant:grant-legacy', 'refresh-tokens:grant-ended', 'refresh-tokens:grant-legacy']);
      } finally {
        await relay.stop();
        await reaction.stop();
        await bus.close();
      }
    });
  });
}
