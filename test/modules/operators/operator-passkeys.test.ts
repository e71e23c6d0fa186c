import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCache, RedisCache, type Cache } from '../../../src/platform/cache/index.ts';
import { isAppError } from '../../../src/platform/errors/index.ts';
import { DEFAULT_LOGIN_GUARD, LoginGuard, relyingPartyFor } from '../../../src/modules/psu-identity/index.ts';
import { createOperatorsModule, OperatorsErrors, PasskeyRefused, type Operator, type OperatorsApi, type PasskeyRefusal } from '../../../src/modules/operators/index.ts';
import { DIALECTS, TEST_REDIS_URL, openTestDatabase, uniqueName, type TestDatabase } from '../../support/backends.ts';
import { SoftwareAuthenticator } from '../../support/software-authenticator.ts';

const failsWith = (code: string) => (error: unknown) => isAppError(error) && error.code === code;
const refused = (refusal: PasskeyRefusal, username?: string) => (error: unknown) =>
  error instanceof PasskeyRefused && error.code === OperatorsErrors.PASSKEY_FAILED.code && error.refusal === refusal && error.operator?.username === username;
const ORIGIN = 'https://bank.example';

for (const dialect of DIALECTS) {
  describe(`operator passkeys (${dialect}, ${dialect === 'postgres' ? 'Redis' : 'memory cache'})`, () => {
    let database: TestDatabase;
    let cache: Cache;
    let operators: OperatorsApi;
    let contexts = 0;
    /** A console session id: each ceremony its own. */
    const context = () => `session-${++contexts}`;

    /** A new operator of `role`, with a passkey named `name` on a software authenticator of its own. */
    async function withPasskey(username: string, name = 'Laptop'): Promise<{ operator: Operator; authenticator: SoftwareAuthenticator; passkeyId: string }> {
      const { operator } = await operators.create({ username, password: 'a long enough password', role: 'operator' });
      const authenticator = new SoftwareAuthenticator(ORIGIN);
      const ceremony = context();
      const options = await operators.startPasskeyRegistration(operator.id, name, ceremony);
      const passkey = await operators.finishPasskeyRegistration(operator.id, authenticator.create(options), ceremony);
      return { operator, authenticator, passkeyId: passkey.id };
    }
    async function signIn(authenticator: SoftwareAuthenticator, as: Parameters<SoftwareAuthenticator['get']>[1] = {}) {
      const ceremony = context();
      return operators.finishPasskeyLogin(authenticator.get(await operators.startPasskeyLogin(ceremony), as), ceremony);
    }

    before(async () => {
      database = await openTestDatabase(dialect);
      cache = dialect === 'postgres' ? new RedisCache(TEST_REDIS_URL, { keyPrefix: `${uniqueName('ops-passkeys')}:` }) : new MemoryCache();
      operators = createOperatorsModule({ db: database.db, loginGuard: new LoginGuard(cache, DEFAULT_LOGIN_GUARD), cache, relyingParty: relyingPartyFor(`${ORIGIN}/`) });
    });
    after(async () => {
      await cache?.close();
      await database?.close();
    });

    it('an operator registers named passkeys, listed oldest first and counted; the name is checked before the ceremony', async () => {
      const { operator, authenticator, passkeyId } = await withPasskey('ana.registers', '  Work laptop ');
      const ceremony = context();
      const options = await operators.startPasskeyRegistration(operator.id, 'YubiKey 5 — desk', ceremony);
      // Discoverable, user-verified; the passkeys already registered are excluded (not registered twice).
      assert.deepEqual(options.authenticatorSelection, { residentKey: 'required', userVerification: 'required', requireResidentKey: true });
      assert.deepEqual(options.excludeCredentials?.map((c) => c.id), [passkeyId]);
      assert.deepEqual([options.rp, options.user.name], [{ name: 'Portico Bank', id: 'bank.example' }, 'ana.registers']);
      await operators.finishPasskeyRegistration(operator.id, new SoftwareAuthenticator(ORIGIN).create(options), ceremony);
      const listed = await operators.listPasskeys(operator.id);
      assert.deepEqual(listed.map((p) => [p.name, p.lastUsedAt]), [['Work laptop', null], ['YubiKey 5 — desk', null]]);
      assert.equal(listed[0]!.id, passkeyId);
      assert.equal((await operators.passkeyCounts()).get(operator.id), 2);
      for (const name of ['', '   ', 'x'.repeat(65), 'tab\there']) {
        await assert.rejects(operators.startPasskeyRegistration(operator.id, name, context()), failsWith(OperatorsErrors.INVALID_PASSKEY_NAME.code), JSON.stringify(name));
      }
      assert.ok(authenticator);
    });

    it('signs in with a passkey and no username: the credential names its operator; the counter and use are recorded', async () => {
      const { operator, authenticator, passkeyId } = await withPasskey('ben.signs-in');
      const options = await operators.startPasskeyLogin(context());
      assert.equal(options.allowCredentials, undefined);
      assert.equal(options.userVerification, 'required');
      const signedIn = await signIn(authenticator);
      assert.deepEqual([signedIn.operator.id, signedIn.operator.role, signedIn.passkey.id, signedIn.passkey.name], [operator.id, 'operator', passkeyId, 'Laptop']);
      assert.ok((await operators.listPasskeys(operator.id))[0]!.lastUsedAt);
      // The stored counter moved on: an assertion that does not move past it is a clone's.
      await assert.rejects(signIn(authenticator, { counter: 1 }), refused('verification', 'ben.signs-in'));
      assert.equal((await signIn(authenticator, { counter: 2 })).operator.id, operator.id);
    });

    it('attack: replayed challenge — an assertion is accepted once; a registration response once', async () => {
      const { operator, authenticator } = await withPasskey('cara.replays');
      const ceremony = context();
      const assertion = authenticator.get(await operators.startPasskeyLogin(ceremony));
      await operators.finishPasskeyLogin(assertion, ceremony);
      await assert.rejects(operators.finishPasskeyLogin(assertion, ceremony), refused('challenge'));
      // An answer to one session's challenge is no answer to another session's.
      await operators.startPasskeyLogin('another-session');
      await assert.rejects(operators.finishPasskeyLogin(assertion, 'another-session'), refused('verification', 'cara.replays'));

      const registration = context();
      const response = new SoftwareAuthenticator(ORIGIN).create(await operators.startPasskeyRegistration(operator.id, 'Phone', registration));
      await operators.finishPasskeyRegistration(operator.id, response, registration);
      await assert.rejects(operators.finishPasskeyRegistration(operator.id, response, registration), refused('challenge'));
      assert.equal((await operators.listPasskeys(operator.id)).length, 2);
    });

    it("attack: another operator's credential — presented as one's own, removed, re-registered, or finished in one's own session", async () => {
      const victim = await withPasskey('dan.victim');
      const attacker = await withPasskey('eve.attacker');
      const attackerHandle = Buffer.from(attacker.operator.id).toString('base64url');
      // The victim's assertion relabelled with the attacker's user handle (the handle is not signed).
      const ceremony = context();
      const assertion = victim.authenticator.get(await operators.startPasskeyLogin(ceremony));
      await assert.rejects(operators.finishPasskeyLogin({ ...assertion, response: { ...assertion.response, userHandle: attackerHandle } }, ceremony), refused('user-handle', 'dan.victim'));
      // The attacker's own key presented under the victim's credential id fails the signature.
      const forged = context();
      const own = attacker.authenticator.get(await operators.startPasskeyLogin(forged));
      await assert.rejects(operators.finishPasskeyLogin({ ...own, id: victim.passkeyId, rawId: victim.passkeyId, response: { ...own.response, userHandle: undefined } }, forged), refused('verification', 'dan.victim'));
      // Removing the victim's passkey as the attacker: not found, and it stays.
      await assert.rejects(operators.removePasskey(attacker.operator.id, victim.passkeyId), failsWith(OperatorsErrors.PASSKEY_NOT_FOUND.code));
      assert.equal((await operators.listPasskeys(victim.operator.id)).length, 1);
      // Registering the victim's credential id with the attacker's key: refused, the victim's key kept.
      const registration = context();
      const taken = new SoftwareAuthenticator(ORIGIN).create(await operators.startPasskeyRegistration(attacker.operator.id, 'Stolen', registration), { credentialId: victim.passkeyId });
      await assert.rejects(operators.finishPasskeyRegistration(attacker.operator.id, taken, registration), refused('credential-registered'));
      assert.equal((await signIn(victim.authenticator)).operator.id, victim.operator.id);
      // A registration started for the victim (their session) is not finished for the attacker.
      const victimsCeremony = context();
      const options = await operators.startPasskeyRegistration(victim.operator.id, 'Phone', victimsCeremony);
      await assert.rejects(operators.finishPasskeyRegistration(attacker.operator.id, new SoftwareAuthenticator(ORIGIN).create(options), victimsCeremony), refused('challenge'));
      assert.equal((await operators.listPasskeys(attacker.operator.id)).length, 1);
    });

    it('attack: a removed passkey no longer signs in', async () => {
      const { operator, authenticator, passkeyId } = await withPasskey('finn.removes');
      assert.deepEqual((await operators.removePasskey(operator.id, passkeyId)).name, 'Laptop');
      assert.deepEqual(await operators.listPasskeys(operator.id), []);
      await assert.rejects(signIn(authenticator), refused('unknown-credential'));
      await assert.rejects(operators.removePasskey(operator.id, passkeyId), failsWith(OperatorsErrors.PASSKEY_NOT_FOUND.code));
    });

    it('attack: a suspended operator — a disabled login\'s passkey does not sign in, nor can one be registered; enabled again, it does', async () => {
      const { operator, authenticator } = await withPasskey('gia.suspended');
      await operators.setDisabled(operator.id, true);
      await assert.rejects(signIn(authenticator), refused('disabled', 'gia.suspended'));
      await assert.rejects(operators.startPasskeyRegistration(operator.id, 'Another', context()), failsWith(OperatorsErrors.NOT_FOUND.code));
      await operators.setDisabled(operator.id, false);
      assert.equal((await signIn(authenticator)).operator.id, operator.id);
    });

    it('attack: wrong origin — an assertion or registration made on another site is refused, and its challenge spent', async () => {
      const { operator, authenticator } = await withPasskey('hal.phished');
      const ceremony = context();
      const options = await operators.startPasskeyLogin(ceremony);
      await assert.rejects(operators.finishPasskeyLogin(authenticator.get(options, { origin: 'https://bank-example.evil' }), ceremony), refused('verification', 'hal.phished'));
      await assert.rejects(operators.finishPasskeyLogin(authenticator.get(options), ceremony), refused('challenge'));
      const registration = context();
      const created = new SoftwareAuthenticator('https://bank-example.evil').create(await operators.startPasskeyRegistration(operator.id, 'Phished', registration));
      await assert.rejects(operators.finishPasskeyRegistration(operator.id, created, registration), refused('verification'));
      // Without user verification (presence only) a passkey is one factor: refused too.
      const unverified = context();
      await assert.rejects(operators.finishPasskeyLogin(authenticator.get(await operators.startPasskeyLogin(unverified), { userVerified: false }), unverified), refused('verification', 'hal.phished'));
      assert.equal((await operators.listPasskeys(operator.id)).length, 1);
    });

    it('an unknown credential, or a response that is not one, is refused without a server error', async () => {
      for (const response of [{}, { id: 'nope', response: {} }, null]) {
        const ceremony = context();
        await operators.startPasskeyLogin(ceremony);
        await assert.rejects(operators.finishPasskeyLogin(response as never, ceremony), refused('unknown-credential'));
      }
    });
  });
}
