import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, scryptSync } from 'node:crypto';
import { MemoryCache, RedisCache, type Cache } from '../../../src/platform/cache/index.ts';
import { isAppError } from '../../../src/platform/errors/index.ts';
import {
  createPsuIdentityModule,
  DEFAULT_LOGIN_GUARD,
  generateTotp,
  LoginGuard,
  LoginThrottled,
  PsuIdentityErrors,
  relyingPartyFor,
  sourceOf,
  type LoginGuardPolicy,
} from '../../../src/modules/psu-identity/index.ts';
import { createSandboxModule, type SandboxPsuLogin } from '../../../src/modules/sandbox/index.ts';
import { DIALECTS, TEST_REDIS_URL, openTestDatabase, uniqueName, type TestDatabase } from '../../support/backends.ts';

const failsWith = (code: string) => (error: unknown) => isAppError(error) && error.code === code;
const throttledFor = (seconds: number) => (error: unknown) =>
  error instanceof LoginThrottled && error.code === PsuIdentityErrors.TOO_MANY_ATTEMPTS.code && error.status === 429 && error.retryAfterSeconds === seconds;
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (isAppError(error) ? error.code : error),
  );

for (const dialect of DIALECTS) {
  describe(`PSU authentication (${dialect}, ${dialect === 'postgres' ? 'Redis' : 'memory cache'})`, () => {
    let database: TestDatabase;
    let psus: SandboxPsuLogin[];
    // The guards' clock; tests move it forward instead of waiting (the memory cache's TTLs follow it).
    let clock = Date.now();
    const caches: Cache[] = [];
    const prefix = `${uniqueName('auth')}:`;
    const newCache = (): Cache => {
      const cache = dialect === 'postgres' ? new RedisCache(TEST_REDIS_URL, { keyPrefix: prefix }) : new MemoryCache(() => clock);
      caches.push(cache);
      return cache;
    };
    const guardWith = (policy: Partial<LoginGuardPolicy> = {}, cache = newCache()) => new LoginGuard(cache, { ...DEFAULT_LOGIN_GUARD, ...policy }, () => clock);
    /** The PSU identity module with this guard (and its cache). */
    const identity = (guard: LoginGuard) => createPsuIdentityModule({ db: database.db, cache: guard.cache, loginGuard: guard, relyingParty: relyingPartyFor('https://bank.example') });
    let source = 0;
    /** A source address of its own (10.x.y.z), so tests do not share per-source limits. */
    const newSource = () => `10.${(++source >> 16) & 255}.${(source >> 8) & 255}.${source & 255}`;

    before(async () => {
      database = await openTestDatabase(dialect);
      await createSandboxModule({ db: database.db }).seed({ customers: 10, months: 1, seed: 9, asOf: new Date('2026-01-31T12:00:00Z') });
      psus = await createSandboxModule({ db: database.db }).listPsus();
      // Stored hashes carry their parameters: cheap ones keep these many attempts quick (what is
      // tested here is the throttling, not scrypt; unknown usernames still hash at full cost).
      for (const psu of psus) {
        const salt = randomBytes(16);
        const hash = scryptSync(psu.password, salt, 32, { N: 2 ** 10, r: 8, p: 1 });
        await database.db.updateTable('psu_users').set({ password_hash: ['scrypt', 2 ** 10, 8, 1, salt.toString('base64url'), hash.toString('base64url')].join('$') }).where('username', '=', psu.username).execute();
      }
    });
    after(async () => {
      for (const cache of caches) await cache.close();
      await database.close();
    });

    it('logs a sandbox PSU in with password and one-time code', async () => {
      const guard = guardWith();
      const psu = psus[0]!;
      const from = newSource();
      const authenticated = await identity(guard).authenticatePassword({ username: psu.username, password: psu.password }, { source: from });
      assert.equal(authenticated.username, psu.username);
      await identity(guard).verifyOneTimeCode(authenticated.psuId, generateTotp(psu.totpSecret, new Date()), { source: from });
    });

    it('attack: unknown username and wrong password give the same answer, at the same cost', async () => {
      const guard = guardWith();
      const wrong = { username: psus[1]!.username, password: 'wrong' };
      const unknown = { username: uniqueName('nobody'), password: 'wrong' };
      const answers: Array<[unknown, unknown]> = [];
      for (let i = 0; i <= DEFAULT_LOGIN_GUARD.freeAttempts; i++) {
        const runs = guard.hashSlots.runs;
        const a = await identity(guard).authenticatePassword(wrong, { source: '192.0.2.1' }).catch((e: unknown) => e);
        const hashedForWrong = guard.hashSlots.runs - runs;
        const b = await identity(guard).authenticatePassword(unknown, { source: '192.0.2.2' }).catch((e: unknown) => e);
        const hashedForUnknown = guard.hashSlots.runs - runs - hashedForWrong;
        assert.equal(hashedForWrong, hashedForUnknown, 'an unknown username costs the same scrypt as a wrong password');
        answers.push([a, b]);
      }
      for (const [a, b] of answers) {
        assert.ok(isAppError(a) && isAppError(b));
        assert.deepEqual([b.code, b.status, b.message, (b as Partial<LoginThrottled>).retryAfterSeconds], [a.code, a.status, a.message, (a as Partial<LoginThrottled>).retryAfterSeconds]);
      }
      assert.deepEqual(
        answers.map(([a]) => (a as { code: string }).code),
        [...Array(DEFAULT_LOGIN_GUARD.freeAttempts).fill(PsuIdentityErrors.INVALID_CREDENTIALS.code), PsuIdentityErrors.TOO_MANY_ATTEMPTS.code],
      );
    });

    it('refuses a replayed one-time code', async () => {
      const guard = guardWith();
      const psu = psus[2]!;
      const from = newSource();
      const { psuId } = await identity(guard).authenticatePassword({ username: psu.username, password: psu.password }, { source: from });
      const code = generateTotp(psu.totpSecret, new Date());
      await identity(guard).verifyOneTimeCode(psuId, code, { source: from });
      await assert.rejects(identity(guard).verifyOneTimeCode(psuId, code, { source: from }), failsWith(PsuIdentityErrors.INVALID_ONE_TIME_CODE.code));
    });

    it('attack: five wrong passwords from one source do not lock the PSU out from another source', async () => {
      const guard = guardWith();
      const psu = psus[3]!;
      const attacker = newSource();
      for (let i = 0; i < 5; i++) {
        await assert.rejects(identity(guard).authenticatePassword({ username: psu.username, password: `guess-${i}` }, { source: attacker }), failsWith(PsuIdentityErrors.INVALID_CREDENTIALS.code));
      }
      // The attacker's source now waits, even with the right password (nothing is evaluated) …
      await assert.rejects(identity(guard).authenticatePassword({ username: psu.username, password: psu.password }, { source: attacker }), throttledFor(30));
      // … while the PSU, from where they are, logs in as usual, with both factors.
      const home = newSource();
      const authenticated = await identity(guard).authenticatePassword({ username: psu.username, password: psu.password }, { source: home });
      assert.equal(authenticated.username, psu.username);
      await identity(guard).verifyOneTimeCode(authenticated.psuId, generateTotp(psu.totpSecret, new Date()), { source: home });
    });

    it('attack: repeated wrong passwords from one source meet doubling delays, and a success starts again', async () => {
      const guard = guardWith({ freeAttempts: 3, delayBaseSeconds: 10, delayMaxSeconds: 35 });
      const psu = psus[4]!;
      const from = newSource();
      const attempt = (password: string) => identity(guard).authenticatePassword({ username: psu.username, password }, { source: from });
      for (let i = 0; i < 3; i++) await assert.rejects(attempt(`guess-${i}`), failsWith(PsuIdentityErrors.INVALID_CREDENTIALS.code));
      await assert.rejects(attempt('guess-3'), throttledFor(10));
      clock += 10_000;
      await assert.rejects(attempt('guess-4'), failsWith(PsuIdentityErrors.INVALID_CREDENTIALS.code));
      await assert.rejects(attempt('guess-5'), throttledFor(20));
      clock += 20_000;
      await assert.rejects(attempt('guess-6'), failsWith(PsuIdentityErrors.INVALID_CREDENTIALS.code));
      await assert.rejects(attempt('guess-7'), throttledFor(35), 'capped at the maximum delay');
      clock += 35_000;
      assert.equal((await attempt(psu.password)).username, psu.username);
      await assert.rejects(attempt('typo'), failsWith(PsuIdentityErrors.INVALID_CREDENTIALS.code));
      await assert.rejects(attempt('typo'), failsWith(PsuIdentityErrors.INVALID_CREDENTIALS.code));
    });

    it('attack: guessing one username from many sources meets the per-username ceiling', async () => {
      // Distributed guessing: each source stays under its own limit, the username's total does not.
      // Past the ceiling everyone waits, the PSU too — the price of capping guesses per password;
      // it takes usernameMaxAttempts / freeAttempts sources per hour to impose (docs/psu-authorisation.md).
      const guard = guardWith({ freeAttempts: 5, usernameMaxAttempts: 8, delayMaxSeconds: 900 });
      const psu = psus[5]!;
      for (let i = 0; i < 4; i++) {
        const attacker = newSource();
        for (let j = 0; j < 2; j++) {
          await assert.rejects(identity(guard).authenticatePassword({ username: psu.username, password: `guess-${i}-${j}` }, { source: attacker }), failsWith(PsuIdentityErrors.INVALID_CREDENTIALS.code));
        }
      }
      await assert.rejects(identity(guard).authenticatePassword({ username: psu.username, password: psu.password }, { source: newSource() }), throttledFor(900));
      clock += 900_000;
      assert.equal((await identity(guard).authenticatePassword({ username: psu.username, password: psu.password }, { source: newSource() })).username, psu.username);
    });

    it('attack: one source trying many usernames is rate-limited', async () => {
      const guard = guardWith({ sourceMaxAttempts: 4, sourceWindowSeconds: 60 });
      // Aligned windows: start at a window's beginning so the expected wait is exact.
      clock = Math.ceil(clock / 60_000) * 60_000 + 15_000;
      const attacker = newSource();
      for (let i = 0; i < 4; i++) {
        await assert.rejects(identity(guard).authenticatePassword({ username: uniqueName('spray'), password: 'Winter2026!' }, { source: attacker }), failsWith(PsuIdentityErrors.INVALID_CREDENTIALS.code));
      }
      const runs = guard.hashSlots.runs;
      await assert.rejects(identity(guard).authenticatePassword({ username: psus[6]!.username, password: psus[6]!.password }, { source: attacker }), throttledFor(45));
      assert.equal(guard.hashSlots.runs, runs, 'a throttled attempt costs no hash');
      assert.equal((await identity(guard).authenticatePassword({ username: psus[6]!.username, password: psus[6]!.password }, { source: newSource() })).username, psus[6]!.username);
    });

    it('attack: one-time code brute force is throttled per source and per PSU', async () => {
      const guard = guardWith({ freeAttempts: 5, oneTimeCodeMaxAttempts: 10, delayBaseSeconds: 30, delayMaxSeconds: 900 });
      const psu = psus[7]!;
      const { psuId } = await identity(guard).authenticatePassword({ username: psu.username, password: psu.password }, { source: newSource() });
      const wrongCode = (i: number) => String(i).padStart(6, '0') === generateTotp(psu.totpSecret, new Date()) ? '999999' : String(i).padStart(6, '0');
      const attacker = newSource();
      for (let i = 0; i < 5; i++) await assert.rejects(identity(guard).verifyOneTimeCode(psuId, wrongCode(i), { source: attacker }), failsWith(PsuIdentityErrors.INVALID_ONE_TIME_CODE.code));
      await assert.rejects(identity(guard).verifyOneTimeCode(psuId, generateTotp(psu.totpSecret, new Date()), { source: attacker }), throttledFor(30));
      // From more sources: the PSU-wide ceiling (10 codes) stops the guessing everywhere.
      const second = newSource();
      for (let i = 5; i < 10; i++) await assert.rejects(identity(guard).verifyOneTimeCode(psuId, wrongCode(i), { source: second }), failsWith(PsuIdentityErrors.INVALID_ONE_TIME_CODE.code));
      await assert.rejects(identity(guard).verifyOneTimeCode(psuId, generateTotp(psu.totpSecret, new Date()), { source: newSource() }), throttledFor(900));
    });

    it('attack: concurrent logins cannot run more than N hashes at once', async () => {
      const guard = guardWith({ maxConcurrentHashes: 2, hashQueueLength: 100, hashWaitMs: 60_000 });
      const attempts = Array.from({ length: 8 }, (_, i) => {
        const psu = psus[i % psus.length]!;
        const credentials = i % 3 === 0 ? { username: psu.username, password: psu.password } : i % 3 === 1 ? { username: psu.username, password: 'wrong' } : { username: uniqueName('ghost'), password: 'x' };
        return outcome(identity(guard).authenticatePassword(credentials, { source: newSource() }));
      });
      const results = await Promise.all(attempts);
      assert.deepEqual(results, results.map((_, i) => (i % 3 === 0 ? 'ok' : PsuIdentityErrors.INVALID_CREDENTIALS.code)));
      assert.equal(guard.hashSlots.runs, 8, 'every attempt, unknown usernames included, hashed in a slot');
      assert.equal(guard.hashSlots.peak, 2, 'never more than two hashes at once');
    });

    if (dialect === 'postgres') {
      it('shares the limits between two instances on the same Redis prefix', async () => {
        const policy = { sourceMaxAttempts: 3, sourceWindowSeconds: 3600 };
        const one = guardWith(policy, new RedisCache(TEST_REDIS_URL, { keyPrefix: prefix }));
        const two = guardWith(policy, new RedisCache(TEST_REDIS_URL, { keyPrefix: prefix }));
        caches.push(one.cache, two.cache);
        const psu = psus[8]!;
        const attacker = newSource();
        await assert.rejects(identity(one).authenticatePassword({ username: psu.username, password: 'a' }, { source: attacker }), failsWith(PsuIdentityErrors.INVALID_CREDENTIALS.code));
        await assert.rejects(identity(two).authenticatePassword({ username: psu.username, password: 'b' }, { source: attacker }), failsWith(PsuIdentityErrors.INVALID_CREDENTIALS.code));
        await assert.rejects(identity(one).authenticatePassword({ username: psu.username, password: 'c' }, { source: attacker }), failsWith(PsuIdentityErrors.INVALID_CREDENTIALS.code));
        await assert.rejects(identity(two).authenticatePassword({ username: psu.username, password: psu.password }, { source: attacker }), failsWith(PsuIdentityErrors.TOO_MANY_ATTEMPTS.code));

        const guarded = guardWith({ freeAttempts: 2 }, new RedisCache(TEST_REDIS_URL, { keyPrefix: prefix }));
        const other = guardWith({ freeAttempts: 2 }, new RedisCache(TEST_REDIS_URL, { keyPrefix: prefix }));
        caches.push(guarded.cache, other.cache);
        const from = newSource();
        await assert.rejects(identity(guarded).authenticatePassword({ username: psus[9]!.username, password: 'a' }, { source: from }), failsWith(PsuIdentityErrors.INVALID_CREDENTIALS.code));
        await assert.rejects(identity(other).authenticatePassword({ username: psus[9]!.username, password: 'b' }, { source: from }), failsWith(PsuIdentityErrors.INVALID_CREDENTIALS.code));
        await assert.rejects(identity(guarded).authenticatePassword({ username: psus[9]!.username, password: psus[9]!.password }, { source: from }), throttledFor(30));
      });
    }
  });
}

describe('login source addresses', () => {
  it('counts an IPv6 client by its /64 and an IPv4-mapped address as IPv4', () => {
    assert.equal(sourceOf('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(sourceOf('2001:db8:1:2:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
    assert.equal(sourceOf('2001:db8::5'), '2001:db8:0:0::/64');
    assert.equal(sourceOf('::1'), '0:0:0:0::/64');
    assert.equal(sourceOf('::ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(sourceOf('192.0.2.7'), '192.0.2.7');
  });
});
