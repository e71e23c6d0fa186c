import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AdapterPayload } from 'oidc-provider';
import { OidcAdapter, deleteExpiredOidcPayloads } from '../../src/auth/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/backends.ts';

for (const dialect of DIALECTS) {
  describe(`oidc-provider adapter (${dialect})`, () => {
    let database: TestDatabase;
    let clock = new Date('2026-03-01T10:00:00Z');
    const now = () => clock;
    const adapter = (kind: string) => new OidcAdapter(database.db, kind, { now });
    const later = (seconds: number) => new Date(clock.getTime() + seconds * 1000);

    before(async () => {
      database = await openTestDatabase(dialect);
    });
    after(async () => {
      await database?.close();
    });

    it('finds what it stored, per model kind, and replaces it on upsert', async () => {
      const tokens = adapter('AccessToken');
      const payload: AdapterPayload = { jti: 'at-1', kind: 'AccessToken', clientId: 'client-1', scope: 'accounts', exp: 1, 'x5t#S256': 'abc' };
      await tokens.upsert('at-1', payload, 3600);
      assert.deepEqual(await tokens.find('at-1'), payload);
      assert.equal(await adapter('RefreshToken').find('at-1'), undefined, 'another model kind does not see it');
      await tokens.upsert('at-1', { ...payload, scope: 'accounts payments' }, 3600);
      assert.equal((await tokens.find('at-1'))?.scope, 'accounts payments');
      assert.equal(await tokens.find('unknown'), undefined);
    });

    it('keeps models without expiry (clients) indefinitely', async () => {
      const clients = adapter('Client');
      await clients.upsert('client-1', { client_id: 'client-1', grant_types: ['client_credentials'] });
      clock = later(10 * 365 * 24 * 3600);
      assert.deepEqual(await clients.find('client-1'), { client_id: 'client-1', grant_types: ['client_credentials'] });
    });

    it('marks consumed artefacts and never un-consumes them on a re-save', async () => {
      const codes = adapter('AuthorizationCode');
      await codes.upsert('code-1', { jti: 'code-1', kind: 'AuthorizationCode', grantId: 'grant-c' }, 60);
      assert.equal((await codes.find('code-1'))?.consumed, undefined);
      await codes.consume('code-1');
      const consumed = await codes.find('code-1');
      assert.equal(consumed?.consumed, Math.floor(clock.getTime() / 1000));
      await codes.upsert('code-1', { jti: 'code-1', kind: 'AuthorizationCode', grantId: 'grant-c' }, 60);
      assert.ok((await codes.find('code-1'))?.consumed, 'still consumed after an upsert');
    });

    it('treats expired rows as absent, by id, uid and user code', async () => {
      const sessions = adapter('Session');
      const devices = adapter('DeviceCode');
      await sessions.upsert('session-jti', { jti: 'session-jti', uid: 'session-uid', kind: 'Session', accountId: 'psu-1' }, 30);
      await devices.upsert('device-1', { jti: 'device-1', userCode: 'ABCD-EFGH', kind: 'DeviceCode' }, 30);
      assert.equal((await sessions.findByUid('session-uid'))?.accountId, 'psu-1');
      assert.equal((await devices.findByUserCode('ABCD-EFGH'))?.jti, 'device-1');
      assert.equal(await adapter('Interaction').findByUid('session-uid'), undefined, 'uid lookups stay within the kind');

      clock = later(31);
      assert.equal(await sessions.find('session-jti'), undefined);
      assert.equal(await sessions.findByUid('session-uid'), undefined);
      assert.equal(await devices.findByUserCode('ABCD-EFGH'), undefined);
    });

    it('an expired, consumed row re-saved under the same id starts afresh', async () => {
      const pars = adapter('PushedAuthorizationRequest');
      await pars.upsert('par-1', { jti: 'par-1', kind: 'PushedAuthorizationRequest' }, 10);
      await pars.consume('par-1');
      clock = later(11);
      await pars.upsert('par-1', { jti: 'par-1', kind: 'PushedAuthorizationRequest' }, 10);
      assert.equal((await pars.find('par-1'))?.consumed, undefined);
    });

    it('destroys one row', async () => {
      const grants = adapter('Grant');
      await grants.upsert('grant-d', { jti: 'grant-d', kind: 'Grant', accountId: 'psu-1', clientId: 'client-1' }, 3600);
      await grants.destroy('grant-d');
      assert.equal(await grants.find('grant-d'), undefined);
    });

    it('revokes every token of a grant, of its own kind only', async () => {
      const accessTokens = adapter('AccessToken');
      const refreshTokens = adapter('RefreshToken');
      await accessTokens.upsert('at-g1', { jti: 'at-g1', grantId: 'grant-r' }, 3600);
      await accessTokens.upsert('at-g2', { jti: 'at-g2', grantId: 'grant-r' }, 3600);
      await accessTokens.upsert('at-other', { jti: 'at-other', grantId: 'grant-other' }, 3600);
      await refreshTokens.upsert('rt-g1', { jti: 'rt-g1', grantId: 'grant-r' }, 3600);

      await accessTokens.revokeByGrantId('grant-r');
      assert.equal(await accessTokens.find('at-g1'), undefined);
      assert.equal(await accessTokens.find('at-g2'), undefined);
      assert.ok(await accessTokens.find('at-other'), 'tokens of other grants stay');
      assert.ok(await refreshTokens.find('rt-g1'), 'oidc-provider revokes each model kind through its own adapter');
      await refreshTokens.revokeByGrantId('grant-r');
      assert.equal(await refreshTokens.find('rt-g1'), undefined);
    });

    it('deletes expired rows in the clean-up and leaves live ones', async () => {
      await database.db.deleteFrom('oidc_payloads').execute();
      const tokens = adapter('ClientCredentials');
      for (let i = 0; i < 5; i++) await tokens.upsert(`short-${i}`, { jti: `short-${i}` }, 60);
      await tokens.upsert('long', { jti: 'long' }, 3600);
      await adapter('Client').upsert('forever', { client_id: 'forever' });
      assert.equal(await deleteExpiredOidcPayloads(database.db, later(61)), 5);
      const left = await database.db.selectFrom('oidc_payloads').select('id').orderBy('id').execute();
      assert.deepEqual(left.map((row) => row.id), ['forever', 'long']);
      assert.equal(await deleteExpiredOidcPayloads(database.db, later(61)), 0);
    });
  });
}
