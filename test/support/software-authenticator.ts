import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

/**
 * A WebAuthn authenticator in software, for tests without a browser: it answers registration
 * (`none` attestation, W3C WebAuthn Level 2 §8.7) and authentication ceremonies with an ES256 key
 * per credential, user verification flagged, a signature counter it increments, and the client
 * data a browser would build. Written from the specification, not from the verifier's code.
 */
export class SoftwareAuthenticator {
  private readonly credentials = new Map<string, { rpId: string; userHandle: string; privateKey: KeyObject; counter: number }>();

  /** `origin`: where the browser says the page is (a phishing site's, to test the origin check). */
  constructor(private readonly origin: string) {}

  /** navigator.credentials.create(): a new credential for the RP and user of the options. */
  /** `credentialId` chooses the new credential's id (an attacker re-registering someone else's). */
  create(options: PublicKeyCredentialCreationOptionsJSON, as: { origin?: string; userVerified?: boolean; credentialId?: string } = {}): RegistrationResponseJSON {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const id = as.credentialId ? Buffer.from(as.credentialId, 'base64url') : randomBytes(16);
    const rpId = options.rp.id!;
    this.credentials.set(id.toString('base64url'), { rpId, userHandle: options.user.id, privateKey, counter: 0 });
    // COSE_Key (RFC 9053 §7.1.1): kty EC2, alg ES256, crv P-256, x, y.
    const coseKey = cborMap([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(id.length);
    const attested = Buffer.concat([Buffer.alloc(16), length, id, coseKey.bytes]);
    const authData = authenticatorData(rpId, FLAG_UP | (as.userVerified === false ? 0 : FLAG_UV) | FLAG_AT, 0, attested);
    const attestationObject = cborMap([
      ['fmt', 'none'],
      ['attStmt', cborMap([])],
      ['authData', authData],
    ]);
    const clientDataJSON = this.clientData('webauthn.create', options.challenge, as.origin);
    return {
      id: id.toString('base64url'),
      rawId: id.toString('base64url'),
      type: 'public-key',
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
      response: { clientDataJSON: clientDataJSON.toString('base64url'), attestationObject: attestationObject.bytes.toString('base64url'), transports: ['internal'] },
    };
  }

  /**
   * navigator.credentials.get(): an assertion by `credentialId`, or by the one credential allowed
   * or, with none allowed, the first discoverable one for the RP. `counter` overrides the next
   * signature counter (a cloned authenticator's stale one).
   */
  get(options: PublicKeyCredentialRequestOptionsJSON, as: { origin?: string; credentialId?: string; counter?: number; userVerified?: boolean } = {}): AuthenticationResponseJSON {
    const rpId = options.rpId!;
    const allowed = options.allowCredentials?.map((c) => c.id) ?? [];
    const id = as.credentialId ?? [...this.credentials.entries()].find(([credentialId, c]) => c.rpId === rpId && (allowed.length === 0 || allowed.includes(credentialId)))?.[0];
    const credential = id && this.credentials.get(id);
    if (!id || !credential) throw new Error(`no credential for ${rpId}`);
    credential.counter = as.counter ?? credential.counter + 1;
    const authData = authenticatorData(rpId, FLAG_UP | (as.userVerified === false ? 0 : FLAG_UV), credential.counter);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, as.origin);
    // §6.3.3 step 11: the signature is over authenticatorData || SHA-256(clientDataJSON).
    const signature = sign('sha256', Buffer.concat([authData, createHash('sha256').update(clientDataJSON).digest()]), credential.privateKey);
    return {
      id,
      rawId: id,
      type: 'public-key',
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
      response: { clientDataJSON: clientDataJSON.toString('base64url'), authenticatorData: authData.toString('base64url'), signature: signature.toString('base64url'), userHandle: credential.userHandle },
    };
  }

  private clientData(type: string, challenge: string, origin = this.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

/** §6.1: rpIdHash, flags, signCount, then the attested credential data when there is one. */
function authenticatorData(rpId: string, flags: number, counter: number, attested = Buffer.alloc(0)): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(counter);
  return Buffer.concat([createHash('sha256').update(rpId).digest(), Buffer.from([flags]), count, attested]);
}

/** The few CBOR (RFC 8949) items WebAuthn needs: integers, byte and text strings, maps. */
class Encoded {
  constructor(readonly bytes: Buffer) {}
}
type CborValue = number | string | Buffer | Encoded;
function cborHead(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  const head = Buffer.alloc(3);
  head[0] = (major << 5) | 25;
  head.writeUInt16BE(length, 1);
  return head;
}
function cbor(value: CborValue): Buffer {
  if (value instanceof Encoded) return value.bytes;
  if (Buffer.isBuffer(value)) return Buffer.concat([cborHead(2, value.length), value]);
  if (typeof value === 'string') return Buffer.concat([cborHead(3, Buffer.byteLength(value)), Buffer.from(value)]);
  return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
}
function cborMap(entries: ReadonlyArray<readonly [number | string, CborValue]>): Encoded {
  return new Encoded(Buffer.concat([cborHead(5, entries.length), ...entries.flatMap(([key, value]) => [cbor(key), cbor(value)])]));
}
