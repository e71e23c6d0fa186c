import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  authenticationOptions,
  keepChallenge,
  registrationOptions,
  relyingPartyFor,
  takeChallenge,
  verifiedAuthentication,
  verifiedRegistration,
  type WebAuthnCredential,
} from '../../../src/modules/psu-identity/index.ts';
import { MemoryCache, type Cache } from '../../../src/platform/cache/index.ts';
import { openTestCache } from '../../support/backends.ts';
import { SoftwareAuthenticator } from '../../support/software-authenticator.ts';

const rp = relyingPartyFor('https://bank.example:8443/');

/** A credential registered through the ceremony, as its owner's table would keep it. */
async function registered(authenticator: SoftwareAuthenticator): Promise<WebAuthnCredential> {
  const options = await registrationOptions(rp, { id: 'user-1', name: 'alice' }, [], 'required');
  const credential = await verifiedRegistration(authenticator.create(options), options.challenge, rp);
  assert.ok(credential);
  return credential;
}

describe('WebAuthn ceremony steps', () => {
  it('the relying party is PUBLIC_URL\'s host (RP ID) and origin', () => {
    assert.deepEqual(rp, { id: 'bank.example', name: 'Portico Bank', origin: 'https://bank.example:8443' });
  });

  it('registration asks for user verification and the resident key asked for, excluding existing credentials', async () => {
    const authenticator = new SoftwareAuthenticator(rp.origin);
    const existing = await registered(authenticator);
    const options = await registrationOptions(rp, { id: 'user-1', name: 'alice' }, [existing], 'required');
    assert.deepEqual(options.authenticatorSelection, { residentKey: 'required', userVerification: 'required', requireResidentKey: true });
    assert.deepEqual(options.excludeCredentials?.map((c) => c.id), [existing.credentialId]);
    assert.equal(Buffer.from(options.user.id, 'base64url').toString(), 'user-1');
    assert.equal(existing.counter, 0n);
  });

  it('attack: a registration made on another origin (phishing site) is refused', async () => {
    const options = await registrationOptions(rp, { id: 'user-1', name: 'alice' }, [], 'required');
    assert.equal(await verifiedRegistration(new SoftwareAuthenticator('https://bank.example.evil').create(options), options.challenge, rp), undefined);
  });

  it('a registration without user verification, or for another challenge, is refused', async () => {
    const options = await registrationOptions(rp, { id: 'user-1', name: 'alice' }, [], 'required');
    const authenticator = new SoftwareAuthenticator(rp.origin);
    assert.equal(await verifiedRegistration(authenticator.create(options, { userVerified: false }), options.challenge, rp), undefined);
    const other = await registrationOptions(rp, { id: 'user-1', name: 'alice' }, [], 'required');
    assert.equal(await verifiedRegistration(authenticator.create(options), other.challenge, rp), undefined);
  });

  it('an assertion signed by the stored key moves the counter on; a discoverable login allows any credential', async () => {
    const authenticator = new SoftwareAuthenticator(rp.origin);
    const credential = await registered(authenticator);
    const options = await authenticationOptions(rp);
    assert.equal(options.allowCredentials, undefined);
    assert.equal(options.userVerification, 'required');
    assert.equal(await verifiedAuthentication(authenticator.get(options), options.challenge, rp, credential), 1n);
  });

  it('attack: a cloned authenticator — an assertion whose counter does not move past the stored one is refused', async () => {
    const authenticator = new SoftwareAuthenticator(rp.origin);
    const credential = { ...(await registered(authenticator)), counter: 5n };
    const options = await authenticationOptions(rp, [credential]);
    assert.equal(await verifiedAuthentication(authenticator.get(options, { counter: 5 }), options.challenge, rp, credential), undefined);
    assert.equal(await verifiedAuthentication(authenticator.get(options, { counter: 6 }), options.challenge, rp, credential), 6n);
  });

  it('attack: an assertion from another origin, without user verification, or for another key is refused', async () => {
    const authenticator = new SoftwareAuthenticator(rp.origin);
    const credential = await registered(authenticator);
    const options = await authenticationOptions(rp, [credential]);
    assert.equal(await verifiedAuthentication(authenticator.get(options, { origin: 'https://evil.example' }), options.challenge, rp, credential), undefined);
    assert.equal(await verifiedAuthentication(authenticator.get(options, { userVerified: false }), options.challenge, rp, credential), undefined);
    const otherKey = await registered(new SoftwareAuthenticator(rp.origin));
    assert.equal(await verifiedAuthentication(authenticator.get(options), options.challenge, rp, { ...otherKey, credentialId: credential.credentialId }), undefined);
  });

  for (const [name, open] of [
    ['memory', () => new MemoryCache()],
    ['Redis', () => openTestCache('webauthn')],
  ] as const) {
    describe(`a challenge is taken once (${name})`, () => {
      const cache: Cache = open();
      after(() => cache.close());

      it('attack: replayed challenge — the second take finds nothing', async () => {
        await keepChallenge(cache, 'ceremony-1', { challenge: 'c-1', who: 'alice' });
        assert.deepEqual(await takeChallenge(cache, 'ceremony-1'), { challenge: 'c-1', who: 'alice' });
        assert.equal(await takeChallenge(cache, 'ceremony-1'), undefined);
      });

      it('attack: replayed challenge — of two concurrent takes one wins, even if both read it', async () => {
        await keepChallenge(cache, 'ceremony-2', { challenge: 'c-2' });
        // Both read before either deletes: what decides is the claim on the challenge itself.
        const racing: Cache = { ...cache, kind: cache.kind, get: (key) => cache.get(key), set: cache.set.bind(cache), setIfAbsent: cache.setIfAbsent.bind(cache), del: async () => {}, increment: cache.increment.bind(cache), ping: cache.ping.bind(cache), circuit: cache.circuit.bind(cache), close: async () => {} };
        const taken = await Promise.all([takeChallenge(racing, 'ceremony-2'), takeChallenge(racing, 'ceremony-2')]);
        assert.deepEqual(taken.filter(Boolean), [{ challenge: 'c-2' }]);
      });
    });
  }
});
