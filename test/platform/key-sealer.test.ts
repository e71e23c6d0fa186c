import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { isSealed, KeySealer, parseKeyEncryptionKeys } from '../../src/platform/keystore/index.ts';

describe('KeySealer (the local keystore)', () => {
  const current = randomBytes(32);
  const older = randomBytes(32);

  it('seals with AES-256-GCM under the first key and opens it again; the ciphertext holds nothing of the plaintext', () => {
    const sealer = new KeySealer([current, older]);
    const secret = JSON.stringify({ kty: 'EC', d: 'private-scalar' });
    const sealed = sealer.seal(secret, 'auth_signing_keys:kid-1');
    assert.ok(isSealed(sealed));
    assert.equal(sealed.kek, sealer.currentKekId);
    assert.doesNotMatch(JSON.stringify(sealed), /private-scalar/);
    assert.equal(sealer.open(sealed, 'auth_signing_keys:kid-1'), secret);
    assert.notEqual(sealer.seal(secret, 'auth_signing_keys:kid-1').ct, sealed.ct, 'a fresh IV each time');
  });

  it('attack: a sealed key moved to another row, or altered, does not open', () => {
    const sealer = new KeySealer([current]);
    const sealed = sealer.seal('secret', 'auth_signing_keys:kid-1');
    assert.throws(() => sealer.open(sealed, 'auth_signing_keys:kid-2'));
    const flipped = Buffer.from(sealed.ct, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    assert.throws(() => sealer.open({ ...sealed, ct: flipped.toString('base64url') }, 'auth_signing_keys:kid-1'));
  });

  it('rotation of the key-encryption key: the old key still opens what it sealed until it is sealed again under the new one', () => {
    const before = new KeySealer([older]);
    const sealed = before.seal('secret', 'row');
    const after = new KeySealer([current, older]);
    assert.equal(after.open(sealed, 'row'), 'secret');
    assert.equal(after.needsResealing(sealed), true);
    assert.equal(after.needsResealing(after.seal('secret', 'row')), false);
    assert.equal(after.needsResealing({ kty: 'EC' }), true, 'a key stored in the clear');
    assert.throws(() => new KeySealer([current]).open(sealed, 'row'), /not configured/);
  });

  it('refuses key-encryption keys that are not 32 bytes, and reads a key file with one key per line', () => {
    assert.throws(() => new KeySealer([randomBytes(16)]), /32 bytes/);
    assert.throws(() => new KeySealer([]), /at least one/);
    const keys = parseKeyEncryptionKeys(`${current.toString('base64')}\n${older.toString('base64')}\n`);
    assert.deepEqual(keys, [current, older]);
  });
});
