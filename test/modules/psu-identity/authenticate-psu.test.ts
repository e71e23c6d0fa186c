import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCache, RedisCache, type Cache } from '../../../src/platform/cache/index.ts';
import { isAppError } from '../../../src/platform/errors/index.ts';
import { authenticatePassword, generateTotp, PsuIdentityErrors, verifyOneTimeCode } from '../../../src/modules/psu-identity/index.ts';
import { listSandboxPsus, seedSandbox } from '../../../src/modules/sandbox/index.ts';
import { DIALECTS, TEST_REDIS_URL, openTestDatabase, uniqueName, type TestDatabase } from '../../support/backends.ts';

const failsWith = (code: string) => (error: unknown) => isAppError(error) && error.code === code;

for (const dialect of DIALECTS) {
  describe(`PSU authentication (${dialect}, ${dialect === 'postgres' ? 'Redis' : 'memory cache'})`, () => {
    let database: TestDatabase;
    let cache: Cache;
    let psus: Awaited<ReturnType<typeof listSandboxPsus>>;

    before(async () => {
      database = await openTestDatabase(dialect);
      cache = dialect === 'postgres' ? new RedisCache(TEST_REDIS_URL, { keyPrefix: `${uniqueName('auth')}:` }) : new MemoryCache();
      await seedSandbox(database.db, { customers: 5, months: 1, seed: 9, asOf: new Date('2026-01-31T12:00:00Z') });
      psus = await listSandboxPsus(database.db);
    });
    after(async () => {
      await cache.close();
      await database.close();
    });

    it('logs a sandbox PSU in with password and one-time code', async () => {
      const psu = psus[0]!;
      const now = new Date();
      const authenticated = await authenticatePassword(database.db, cache, { username: psu.username, password: psu.password }, { now });
      assert.equal(authenticated.username, psu.username);
      await verifyOneTimeCode(database.db, cache, authenticated.psuId, generateTotp(psu.totpSecret, now), { now });
    });

    it('answers a wrong password and an unknown username alike (no user enumeration)', async () => {
      const wrongPassword = await authenticatePassword(database.db, cache, { username: psus[1]!.username, password: 'wrong' }).catch((e: unknown) => e);
      const unknownUser = await authenticatePassword(database.db, cache, { username: 'nobody.here', password: 'wrong' }).catch((e: unknown) => e);
      assert.ok(isAppError(wrongPassword) && isAppError(unknownUser));
      assert.equal(wrongPassword.code, unknownUser.code);
      assert.equal(wrongPassword.message, unknownUser.message);
      assert.equal(wrongPassword.status, unknownUser.status);
    });

    it('refuses a replayed one-time code', async () => {
      const psu = psus[2]!;
      const now = new Date();
      const { psuId } = await authenticatePassword(database.db, cache, { username: psu.username, password: psu.password }, { now });
      const code = generateTotp(psu.totpSecret, now);
      await verifyOneTimeCode(database.db, cache, psuId, code, { now });
      await assert.rejects(verifyOneTimeCode(database.db, cache, psuId, code, { now }), failsWith(PsuIdentityErrors.INVALID_ONE_TIME_CODE.code));
    });

    it('locks the login after repeated failures, even for the right password (brute force)', async () => {
      const psu = psus[3]!;
      const policy = { maxFailures: 3, lockSeconds: 60 };
      for (let i = 0; i < 3; i++) {
        await assert.rejects(authenticatePassword(database.db, cache, { username: psu.username, password: `guess-${i}` }, { policy }), failsWith(PsuIdentityErrors.INVALID_CREDENTIALS.code));
      }
      await assert.rejects(authenticatePassword(database.db, cache, { username: psu.username, password: psu.password }, { policy }), failsWith(PsuIdentityErrors.LOCKED.code));
      const later = new Date(Date.now() + 61_000);
      const unlocked = await authenticatePassword(database.db, cache, { username: psu.username, password: psu.password }, { policy, now: later });
      assert.equal(unlocked.username, psu.username);
    });

    it('locks unknown usernames too, so "locked" reveals nothing', async () => {
      const policy = { maxFailures: 3, lockSeconds: 60 };
      const username = uniqueName('ghost');
      const codes: string[] = [];
      for (let i = 0; i < 5; i++) {
        const error = await authenticatePassword(database.db, cache, { username, password: 'x' }, { policy }).catch((e: unknown) => e);
        assert.ok(isAppError(error));
        codes.push(error.code);
      }
      assert.deepEqual(codes.slice(3), [PsuIdentityErrors.LOCKED.code, PsuIdentityErrors.LOCKED.code]);
    });

    it('counts wrong one-time codes towards the lockout', async () => {
      const psu = psus[4]!;
      const policy = { maxFailures: 2, lockSeconds: 60 };
      const { psuId } = await authenticatePassword(database.db, cache, { username: psu.username, password: psu.password }, { policy });
      await assert.rejects(verifyOneTimeCode(database.db, cache, psuId, '000000', { policy }), failsWith(PsuIdentityErrors.INVALID_ONE_TIME_CODE.code));
      await assert.rejects(verifyOneTimeCode(database.db, cache, psuId, '999999', { policy }), failsWith(PsuIdentityErrors.INVALID_ONE_TIME_CODE.code));
      await assert.rejects(verifyOneTimeCode(database.db, cache, psuId, generateTotp(psu.totpSecret, new Date()), { policy }), failsWith(PsuIdentityErrors.LOCKED.code));
    });
  });
}
