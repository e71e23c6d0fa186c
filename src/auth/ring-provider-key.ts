import { createPublicKey, type KeyObject } from 'node:crypto';
import { ExternalSigningKey } from 'oidc-provider';
import type { JWK } from 'jose';
import type { SigningKeyAlg } from './infra/auth.tables.ts';
import type { SigningKeyRing } from './signing-key-ring.ts';

/** The `kid` of a JWS signing input's protected header (its first part). */
function kidOfSigningInput(signingInput: Uint8Array): string {
  const text = Buffer.from(signingInput).toString('ascii');
  const header = JSON.parse(Buffer.from(text.slice(0, text.indexOf('.')), 'base64url').toString('utf8')) as { kid?: unknown };
  if (typeof header.kid !== 'string') throw new Error('the JWS header oidc-provider signs carries no kid');
  return header.kid;
}

/**
 * oidc-provider's signing key for one algorithm, backed by the ring (its external signing support,
 * `features.externalSigningSupport`): it names whichever key of the ring signs now, and signs with
 * the key the header it is given names, so the header and the signature always agree even when a
 * rotation activates a key in between. oidc-provider fixes its key set when it starts; this one
 * object per algorithm lets the ring change keys under it without a restart.
 */
export class RingProviderKey extends ExternalSigningKey {
  constructor(
    private readonly ring: SigningKeyRing,
    private readonly signingAlg: SigningKeyAlg,
  ) {
    super();
  }

  private get current(): JWK {
    return this.ring.signingKey(this.signingAlg).publicJwk;
  }

  override get kid(): string {
    return this.ring.signingKid(this.signingAlg);
  }

  // oidc-provider assigns a kid only where a key has none; the ring always names one.
  override set kid(_value: string | undefined) {}

  override get alg(): string {
    return this.signingAlg;
  }

  override set alg(_value: string | undefined) {}

  override get kty(): string {
    return String(this.current.kty);
  }

  override get crv(): string | undefined {
    return this.current.crv;
  }

  override get x(): string | undefined {
    return this.current.x;
  }

  override get y(): string | undefined {
    return this.current.y;
  }

  override get n(): string | undefined {
    return this.current.n;
  }

  override get e(): string | undefined {
    return this.current.e;
  }

  override keyObject(): KeyObject {
    return createPublicKey({ key: this.current as import('node:crypto').JsonWebKey, format: 'jwk' });
  }

  override sign(data: Uint8Array): Promise<Uint8Array> {
    return this.ring.sign(kidOfSigningInput(data), this.signingAlg, data);
  }
}
