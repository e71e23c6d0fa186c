import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { base32Decode, base32Encode, generateTotp, verifyTotp } from '../../../src/modules/psu-identity/index.ts';

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890'));

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 Appendix B SHA-1 test vectors (last 6 digits)', () => {
    const vectors: Array<[number, string]> = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [seconds, eight] of vectors) {
      assert.equal(generateTotp(RFC_SECRET, new Date(seconds * 1000), 8), eight, `T=${seconds}`);
      assert.equal(generateTotp(RFC_SECRET, new Date(seconds * 1000)), eight.slice(2));
    }
  });

  it('accepts the previous and next step for clock drift, and nothing further', () => {
    const now = new Date(1_700_000_000_000);
    const at = (offsetSeconds: number) => generateTotp(RFC_SECRET, new Date(now.getTime() + offsetSeconds * 1000));
    assert.notEqual(verifyTotp(RFC_SECRET, at(0), now), undefined);
    assert.notEqual(verifyTotp(RFC_SECRET, at(-30), now), undefined);
    assert.notEqual(verifyTotp(RFC_SECRET, at(30), now), undefined);
    assert.equal(verifyTotp(RFC_SECRET, at(-90), now), undefined);
    assert.equal(verifyTotp(RFC_SECRET, at(90), now), undefined);
  });

  it('rejects malformed codes and secrets without throwing', () => {
    const now = new Date();
    for (const code of ['', '12345', '1234567', 'abcdef', ' 123456']) assert.equal(verifyTotp(RFC_SECRET, code, now), undefined);
    assert.equal(verifyTotp('not base32!', '123456', now), undefined);
  });

  it('round-trips base32', () => {
    const bytes = Uint8Array.from({ length: 20 }, (_, i) => (i * 37) & 0xff);
    assert.deepEqual(base32Decode(base32Encode(bytes)), bytes);
    assert.equal(base32Decode('A1'), undefined);
  });
});
