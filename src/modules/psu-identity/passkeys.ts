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
import { AppError } from '../../platform/errors/index.ts';
import { PsuIdentityErrors } from './psu-identity.errors.ts';
import type { PsuIdentityRepository } from './psu-identity.repository.port.ts';

/** The WebAuthn relying party: the bank's public origin. */
export interface RelyingParty {
  readonly id: string;
  readonly name: string;
  readonly origin: string;
}

export function relyingPartyFor(publicUrl: string): RelyingParty {
  const url = new URL(publicUrl);
  return { id: url.hostname, name: 'Portico Bank', origin: url.origin };
}

const CHALLENGE_TTL_SECONDS = 5 * 60;
type Transport = NonNullable<RegistrationResponseJSON['response']['transports']>[number];

/** Starts enrolling a passkey (WebAuthn Level 2 §7.1); the challenge is kept server-side, once. */
export async function startPasskeyRegistration(psus: PsuIdentityRepository, cache: Cache, psuId: string, rp: RelyingParty): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const psu = await psus.findById(psuId);
  if (!psu) throw new Error(`PSU ${psuId} does not exist`);
  const existing = await psus.listPasskeys(psuId);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: psu.username,
    userID: new TextEncoder().encode(psuId),
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: c.transports as Transport[] })),
    // PSD2 SCA: the passkey must verify the user (PIN or biometric), making it two factors in one.
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
  });
  await cache.set(`passkey-registration:${psuId}`, options.challenge, CHALLENGE_TTL_SECONDS);
  return options;
}

export async function finishPasskeyRegistration(psus: PsuIdentityRepository, cache: Cache, psuId: string, response: RegistrationResponseJSON, rp: RelyingParty): Promise<void> {
  const key = `passkey-registration:${psuId}`;
  const challenge = await cache.get(key);
  await cache.del(key);
  if (!challenge) throw new AppError(PsuIdentityErrors.PASSKEY_FAILED);
  const verification = await verifyRegistrationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: true,
  }).catch(() => undefined);
  if (!verification?.verified) throw new AppError(PsuIdentityErrors.PASSKEY_FAILED);
  const { credential } = verification.registrationInfo;
  await psus.addPasskey({
    credentialId: credential.id,
    psuId,
    publicKey: Buffer.from(credential.publicKey).toString('base64url'),
    counter: BigInt(credential.counter),
    transports: credential.transports ?? [],
  });
}

export async function listPasskeys(psus: PsuIdentityRepository, psuId: string): Promise<Array<{ credentialId: string; createdAt: Date; lastUsedAt: Date | null }>> {
  return (await psus.listPasskeys(psuId)).map(({ credentialId, createdAt, lastUsedAt }) => ({ credentialId, createdAt, lastUsedAt }));
}

/** Starts a passkey authentication bound to one context (an authorisation session). */
export async function startPasskeyAuthentication(psus: PsuIdentityRepository, cache: Cache, psuId: string, rp: RelyingParty, context: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const credentials = await psus.listPasskeys(psuId);
  if (credentials.length === 0) throw new AppError(PsuIdentityErrors.PASSKEY_FAILED);
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: credentials.map((c) => ({ id: c.credentialId, transports: c.transports as Transport[] })),
    userVerification: 'required',
  });
  await cache.set(`passkey-authentication:${context}`, JSON.stringify({ psuId, challenge: options.challenge }), CHALLENGE_TTL_SECONDS);
  return options;
}

/**
 * Verifies the assertion against the stored key and counter (a counter that does not increase
 * signals a cloned authenticator, WebAuthn §6.1.1) and that user verification happened.
 */
export async function finishPasskeyAuthentication(psus: PsuIdentityRepository, cache: Cache, psuId: string, response: AuthenticationResponseJSON, rp: RelyingParty, context: string): Promise<void> {
  const key = `passkey-authentication:${context}`;
  const pending = await cache.get(key);
  await cache.del(key);
  const expected = pending ? (JSON.parse(pending) as { psuId: string; challenge: string }) : undefined;
  const stored = await psus.findPasskey(psuId, String(response?.id ?? ''));
  if (!expected || expected.psuId !== psuId || !stored) throw new AppError(PsuIdentityErrors.PASSKEY_FAILED);
  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge: expected.challenge,
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
  if (!verification?.verified) throw new AppError(PsuIdentityErrors.PASSKEY_FAILED);
  await psus.recordPasskeyUse(stored.credentialId, BigInt(verification.authenticationInfo.newCounter), new Date());
}
