import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Cache } from '../../platform/cache/index.ts';

/**
 * The WebAuthn ceremonies (W3C WebAuthn Level 2 §7.1 registration, §7.2 authentication) apart
 * from whose credentials they are: PSU passkeys and the operations console's operator passkeys
 * keep their credentials in tables of their own and share these steps.
 */

/** The WebAuthn relying party: the bank's public origin. */
export interface RelyingParty {
  readonly id: string;
  readonly name: string;
  readonly origin: string;
}

/** The relying party of `PUBLIC_URL`: its host is the RP ID (§5.1.2), its origin the only one accepted. */
export function relyingPartyFor(publicUrl: string): RelyingParty {
  const url = new URL(publicUrl);
  return { id: url.hostname, name: 'Portico Bank', origin: url.origin };
}

/** A registered credential as stored: its COSE public key (base64url) and last signature counter. */
export interface WebAuthnCredential {
  readonly credentialId: string;
  readonly publicKey: string;
  readonly counter: bigint;
  readonly transports: readonly string[];
}

/** How long a ceremony's challenge may be answered. */
export const CHALLENGE_TTL_SECONDS = 5 * 60;

type Transport = NonNullable<RegistrationResponseJSON['response']['transports']>[number];
const descriptorOf = (credential: WebAuthnCredential) => ({ id: credential.credentialId, transports: credential.transports as Transport[] });

/** Keeps a ceremony's challenge, and what it was issued for, server-side under `key`. */
export async function keepChallenge<T extends { readonly challenge: string }>(cache: Cache, key: string, pending: T): Promise<void> {
  await cache.set(key, JSON.stringify(pending), CHALLENGE_TTL_SECONDS);
}

/**
 * Takes the challenge kept under `key`: once, on every instance. Reading and deleting are two
 * commands, so the challenge itself is claimed with SET NX: of two concurrent answers, one wins.
 */
export async function takeChallenge<T extends { readonly challenge: string }>(cache: Cache, key: string): Promise<T | undefined> {
  const stored = await cache.get(key);
  if (!stored) return undefined;
  await cache.del(key);
  const pending = JSON.parse(stored) as T;
  return (await cache.setIfAbsent(`webauthn-challenge-taken:${pending.challenge}`, '1', CHALLENGE_TTL_SECONDS)) ? pending : undefined;
}

/**
 * Options to create a credential. User verification is required (a PIN or biometric on the
 * authenticator), which with possession of the authenticator makes a passkey two factors in one.
 */
export function registrationOptions(
  rp: RelyingParty,
  user: { readonly id: string; readonly name: string },
  existing: readonly WebAuthnCredential[],
  residentKey: 'preferred' | 'required',
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.name,
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    excludeCredentials: existing.map(descriptorOf),
    authenticatorSelection: { residentKey, userVerification: 'required' },
  });
}

/** The new credential, if the response answers the challenge for this RP and origin with user verification. */
export async function verifiedRegistration(response: RegistrationResponseJSON, challenge: string, rp: RelyingParty): Promise<WebAuthnCredential | undefined> {
  const verification = await verifyRegistrationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: true,
  }).catch(() => undefined);
  if (!verification?.verified) return undefined;
  const { credential } = verification.registrationInfo;
  return { credentialId: credential.id, publicKey: Buffer.from(credential.publicKey).toString('base64url'), counter: BigInt(credential.counter), transports: credential.transports ?? [] };
}

/** Options to sign in: with `allowed` credentials, or none for a discoverable credential (§5.4.6). */
export function authenticationOptions(rp: RelyingParty, allowed?: readonly WebAuthnCredential[]): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({ rpID: rp.id, allowCredentials: allowed?.map(descriptorOf), userVerification: 'required' });
}

/**
 * The authenticator's new signature counter, if the assertion answers the challenge for this RP
 * and origin, is signed by the stored key, was user-verified, and its counter moved on from the
 * stored one (a counter that does not increase signals a cloned authenticator, §6.1.1; both zero
 * is an authenticator without a counter).
 */
export async function verifiedAuthentication(response: AuthenticationResponseJSON, challenge: string, rp: RelyingParty, stored: WebAuthnCredential): Promise<bigint | undefined> {
  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: true,
    credential: {
      id: stored.credentialId,
      publicKey: new Uint8Array(Buffer.from(stored.publicKey, 'base64url')),
      counter: Number(stored.counter),
      transports: stored.transports as Transport[],
    },
  }).catch(() => undefined);
  return verification?.verified ? BigInt(verification.authenticationInfo.newCounter) : undefined;
}
