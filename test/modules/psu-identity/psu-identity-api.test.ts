import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, scryptSync } from 'node:crypto';
import { psuIdentityApiOver } from '../../../src/modules/psu-identity/create-psu-identity-module.ts';
import { base32Encode, generateTotp, LoginGuard, PsuIdentityErrors, relyingPartyFor } from '../../../src/modules/psu-identity/index.ts';
import { MemoryCache } from '../../../src/platform/cache/index.ts';
import { isAppError } from '../../../src/platform/errors/index.ts';
import { InMemoryPsuIdentityRepository } from '../../support/in-memory-psu-identity-repository.ts';
import { SoftwareAuthenticator } from '../../support/software-authenticator.ts';

const failsWith = (code: string) => (error: unknown) => isAppError(error) && error.code === code;

/** A stored scrypt hash with cheap parameters: what is tested is the use case, not scrypt. */
function cheapHash(password: string): string {
  const salt = randomBytes(16);
  return ['scrypt', 2 ** 10, 8, 1, salt.toString('base64url'), scryptSync(password, salt, 32, { N: 2 ** 10, r: 8, p: 1 }).toString('base64url')].join('$');
}

describe('PSU identity API over an in-memory repository', () => {
  const cache = new MemoryCache();
  after(() => cache.close());
  const psus = new InMemoryPsuIdentityRepository();
  const totpSecret = base32Encode(randomBytes(20));
  psus.addPsu({ id: 'psu-1', partyId: 'party-1', username: 'alice', passwordHash: cheapHash('correct horse'), totpSecret });
  const identity = psuIdentityApiOver(psus, { cache, loginGuard: new LoginGuard(cache), relyingParty: relyingPartyFor('https://bank.example') });

  it('authenticates the password of a username given in any case and with spaces around it', async () => {
    assert.deepEqual(await identity.authenticatePassword({ username: '  Alice ', password: 'correct horse' }, { source: '192.0.2.10' }), { psuId: 'psu-1', partyId: 'party-1', username: 'alice' });
  });

  it('refuses a wrong password and an unknown username alike', async () => {
    await assert.rejects(identity.authenticatePassword({ username: 'alice', password: 'wrong' }, { source: '192.0.2.11' }), failsWith(PsuIdentityErrors.INVALID_CREDENTIALS.code));
    await assert.rejects(identity.authenticatePassword({ username: 'mallory', password: 'correct horse' }, { source: '192.0.2.11' }), failsWith(PsuIdentityErrors.INVALID_CREDENTIALS.code));
  });

  it('accepts a one-time code once: the same code again is refused (attack: one-time code replay)', async () => {
    const now = new Date();
    const code = generateTotp(totpSecret, now);
    await identity.verifyOneTimeCode('psu-1', code, { source: '192.0.2.12', now });
    await assert.rejects(identity.verifyOneTimeCode('psu-1', code, { source: '192.0.2.12', now }), failsWith(PsuIdentityErrors.INVALID_ONE_TIME_CODE.code));
  });

  it('refuses a one-time code for an unknown PSU', async () => {
    await assert.rejects(identity.verifyOneTimeCode('psu-unknown', '123456', { source: '192.0.2.13' }), failsWith(PsuIdentityErrors.INVALID_ONE_TIME_CODE.code));
  });

  it('offers no passkey sign-in to a PSU without passkeys, and finds the PSU by id', async () => {
    await assert.rejects(identity.startPasskeyAuthentication('psu-1', 'interaction-1'), failsWith(PsuIdentityErrors.PASSKEY_FAILED.code));
    assert.deepEqual(await identity.listPasskeys('psu-1'), []);
    assert.deepEqual(await identity.findPsu('psu-1'), { psuId: 'psu-1', partyId: 'party-1', username: 'alice' });
    assert.equal(await identity.findPsu('psu-unknown'), undefined);
  });

  it('enrols a passkey, then accepts its assertion once per challenge (attack: replayed passkey assertion)', async () => {
    const authenticator = new SoftwareAuthenticator('https://bank.example');
    await identity.finishPasskeyRegistration('psu-1', authenticator.create(await identity.startPasskeyRegistration('psu-1')));
    const [passkey] = await identity.listPasskeys('psu-1');
    assert.ok(passkey);
    const assertion = authenticator.get(await identity.startPasskeyAuthentication('psu-1', 'interaction-2'));
    await identity.finishPasskeyAuthentication('psu-1', assertion, 'interaction-2');
    assert.ok((await identity.listPasskeys('psu-1'))[0]!.lastUsedAt);
    await assert.rejects(identity.finishPasskeyAuthentication('psu-1', assertion, 'interaction-2'), failsWith(PsuIdentityErrors.PASSKEY_FAILED.code));
  });
});
