import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Cache } from '../../platform/cache/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { PsuIdentityErrors } from './psu-identity.errors.ts';
import type { PsuIdentityRepository } from './psu-identity.repository.port.ts';
import { authenticationOptions, keepChallenge, registrationOptions, takeChallenge, verifiedAuthentication, verifiedRegistration, type RelyingParty } from './webauthn-ceremonies.ts';

export { relyingPartyFor, type RelyingParty } from './webauthn-ceremonies.ts';

/** Starts enrolling a passkey (WebAuthn Level 2 §7.1); the challenge is kept server-side, once. */
export async function startPasskeyRegistration(psus: PsuIdentityRepository, cache: Cache, psuId: string, rp: RelyingParty): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const psu = await psus.findById(psuId);
  if (!psu) throw new Error(`PSU ${psuId} does not exist`);
  // PSD2 SCA: the passkey must verify the user (PIN or biometric), making it two factors in one.
  const options = await registrationOptions(rp, { id: psuId, name: psu.username }, await psus.listPasskeys(psuId), 'preferred');
  await keepChallenge(cache, `passkey-registration:${psuId}`, { challenge: options.challenge });
  return options;
}

export async function finishPasskeyRegistration(psus: PsuIdentityRepository, cache: Cache, psuId: string, response: RegistrationResponseJSON, rp: RelyingParty): Promise<void> {
  const pending = await takeChallenge(cache, `passkey-registration:${psuId}`);
  const credential = pending && (await verifiedRegistration(response, pending.challenge, rp));
  if (!credential) throw new AppError(PsuIdentityErrors.PASSKEY_FAILED);
  await psus.addPasskey({ ...credential, psuId });
}

export async function listPasskeys(psus: PsuIdentityRepository, psuId: string): Promise<Array<{ credentialId: string; createdAt: Date; lastUsedAt: Date | null }>> {
  return (await psus.listPasskeys(psuId)).map(({ credentialId, createdAt, lastUsedAt }) => ({ credentialId, createdAt, lastUsedAt }));
}

/** Starts a passkey authentication bound to one context (an authorisation session). */
export async function startPasskeyAuthentication(psus: PsuIdentityRepository, cache: Cache, psuId: string, rp: RelyingParty, context: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const credentials = await psus.listPasskeys(psuId);
  if (credentials.length === 0) throw new AppError(PsuIdentityErrors.PASSKEY_FAILED);
  const options = await authenticationOptions(rp, credentials);
  await keepChallenge(cache, `passkey-authentication:${context}`, { psuId, challenge: options.challenge });
  return options;
}

/**
 * Verifies the assertion against the stored key and counter (webauthn-ceremonies.ts) and that
 * user verification happened.
 */
export async function finishPasskeyAuthentication(psus: PsuIdentityRepository, cache: Cache, psuId: string, response: AuthenticationResponseJSON, rp: RelyingParty, context: string): Promise<void> {
  const expected = await takeChallenge<{ psuId: string; challenge: string }>(cache, `passkey-authentication:${context}`);
  const stored = await psus.findPasskey(psuId, String(response?.id ?? ''));
  if (!expected || expected.psuId !== psuId || !stored) throw new AppError(PsuIdentityErrors.PASSKEY_FAILED);
  const counter = await verifiedAuthentication(response, expected.challenge, rp, stored);
  if (counter === undefined) throw new AppError(PsuIdentityErrors.PASSKEY_FAILED);
  await psus.recordPasskeyUse(stored.credentialId, counter, new Date());
}
