import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCache, RedisCache, type Cache } from '../../../src/platform/cache/index.ts';
import { isAppError } from '../../../src/platform/errors/index.ts';
import { DEFAULT_LOGIN_GUARD, generateTotp, LoginGuard, LoginThrottled, relyingPartyFor } from '../../../src/modules/psu-identity/index.ts';
import { createOperatorsModule, OperatorsErrors, type OperatorsApi, type SandboxOperatorLogin } from '../../../src/modules/operators/index.ts';
import { DIALECTS, TEST_REDIS_URL, openTestDatabase, uniqueName, type TestDatabase } from '../../support/backends.ts';

const failsWith = (code: string) => (error: unknown) => isAppError(error) && error.code === code;

for (const dialect of DIALECTS) {
  describe(`operators module (${dialect}, ${dialect === 'postgres' ? 'Redis' : 'memory cache'})`, () => {
    let database: TestDatabase;
    let cache: Cache;
    let operators: OperatorsApi;
    let logins: SandboxOperatorLogin[];

    before(async () => {
      database = await openTestDatabase(dialect);
      cache = dialect === 'postgres' ? new RedisCache(TEST_REDIS_URL, { keyPrefix: `${uniqueName('ops')}:` }) : new MemoryCache();
      operators = createOperatorsModule({ db: database.db, loginGuard: new LoginGuard(cache, DEFAULT_LOGIN_GUARD), cache, relyingParty: relyingPartyFor('https://bank.example') });
      logins = await operators.seedSandboxLogins();
    });
    after(async () => {
      await cache?.close();
      await database?.close();
    });

    it('seeds one published login per role, once', async () => {
      assert.deepEqual(logins.map((l) => [l.username, l.role]), [['ops-viewer', 'viewer'], ['ops-operator', 'operator'], ['ops-admin', 'admin']]);
      assert.deepEqual(await operators.seedSandboxLogins(), logins);
      assert.deepEqual(await operators.listSandboxLogins(), logins);
    });

    it('logs in with the password, then the one-time code, each code once (RFC 6238 §5.2)', async () => {
      const login = logins[1]!;
      const operator = await operators.authenticatePassword(` ${login.username.toUpperCase()} `, login.password, '192.0.2.1');
      assert.equal(operator.role, 'operator');
      const code = generateTotp(login.totpSecret, new Date());
      assert.equal((await operators.verifyOneTimeCode(operator.id, code, '192.0.2.1')).username, login.username);
      await assert.rejects(operators.verifyOneTimeCode(operator.id, code, '192.0.2.1'), failsWith(OperatorsErrors.INVALID_ONE_TIME_CODE.code));
    });

    it('one answer for an unknown username, a wrong password and a disabled login', async () => {
      const admin = logins[2]!;
      await assert.rejects(operators.authenticatePassword('nobody', 'x', '192.0.2.2'), failsWith(OperatorsErrors.INVALID_CREDENTIALS.code));
      await assert.rejects(operators.authenticatePassword(admin.username, 'wrong', '192.0.2.2'), failsWith(OperatorsErrors.INVALID_CREDENTIALS.code));
      const created = await operators.create({ username: 'temp.admin', password: 'a long enough password', role: 'admin' });
      await operators.setDisabled(created.operator.id, true);
      await assert.rejects(operators.authenticatePassword('temp.admin', 'a long enough password', '192.0.2.2'), failsWith(OperatorsErrors.INVALID_CREDENTIALS.code));
      await operators.setDisabled(created.operator.id, false);
      assert.equal((await operators.authenticatePassword('temp.admin', 'a long enough password', '192.0.2.2')).id, created.operator.id);
    });

    it('admins add operators with a new TOTP secret; usernames are unique; roles change', async () => {
      const created = await operators.create({ username: 'new.viewer', password: 'another long password', role: 'viewer' });
      assert.match(created.totpSecret, /^[A-Z2-7]{32}$/);
      await assert.rejects(operators.create({ username: 'new.viewer', password: 'another long password', role: 'viewer' }), failsWith(OperatorsErrors.USERNAME_TAKEN.code));
      await assert.rejects(operators.create({ username: 'x', password: 'short', role: 'viewer' }), failsWith(OperatorsErrors.INVALID_OPERATOR.code));
      assert.equal((await operators.setRole(created.operator.id, 'operator')).role, 'operator');
      assert.ok((await operators.list()).some((o) => o.username === 'new.viewer' && o.role === 'operator'));
    });

    it('attack: password guessing against an operator is throttled by the shared login guard', async () => {
      const viewer = logins[0]!;
      let throttled = false;
      for (let i = 0; i < DEFAULT_LOGIN_GUARD.freeAttempts + 1 && !throttled; i++) {
        try {
          await operators.authenticatePassword(viewer.username, `guess-${i}`, '198.51.100.7');
        } catch (error) {
          throttled = error instanceof LoginThrottled;
        }
      }
      assert.ok(throttled);
    });
  });
}
