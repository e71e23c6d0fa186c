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
import type { Db } from '../../platform/db/index.ts';
import type { Cache } from '../../platform/cache/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { PsuIdentityErrors } from './psu-identity.errors.ts';

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
export async function startPasskeyRegistration(db: Db, cache: Cache, psuId: string, rp: RelyingParty): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const psu = await db.selectFrom('psu_users').select(['username']).where('id', '=', psuId).executeTakeFirstOrThrow();
  const existing = await db.selectFrom('psu_passkeys').select(['credential_id', 'transports']).where('psu_id', '=', psuId).execute();
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: psu.username,
    userID: new TextEncoder().encode(psuId),
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credential_id, transports: c.transports })),
    // PSD2 SCA: the passkey must verify the user (PIN or biometric), making it two factors in one.
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
  });
  await cache.set(`passkey-registration:${psuId}`, options.challenge, CHALLENGE_TTL_SECONDS);
  return options;
}

export async function finishPasskeyRegistration(db: Db, cache: Cache, psuId: string, response: RegistrationResponseJSON, rp: RelyingParty): Promise<void> {
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
  await db
    .insertInto('psu_passkeys')
    .values({
      credential_id: credential.id,
      psu_id: psuId,
      public_key: Buffer.from(credential.publicKey).toString('base64url'),
      counter: BigInt(credential.counter),
      transports: JSON.stringify(credential.transports ?? []),
    })
    .execute();
}

export async function listPasskeys(db: Db, psuId: string): Promise<Array<{ credentialId: string; createdAt: Date; lastUsedAt: Date | null }>> {
  const rows = await db.selectFrom('psu_passkeys').select(['credential_id', 'created_at', 'last_used_at']).where('psu_id', '=', psuId).orderBy('created_at').execute();
  return rows.map((r) => ({ credentialId: r.credential_id, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
}

/** Starts a passkey authentication bound to one context (an authorisation session). */
export async function startPasskeyAuthentication(db: Db, cache: Cache, psuId: string, rp: RelyingParty, context: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const credentials = await db.selectFrom('psu_passkeys').select(['credential_id', 'transports']).where('psu_id', '=', psuId).execute();
  if (credentials.length === 0) throw new AppError(PsuIdentityErrors.PASSKEY_FAILED);
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: credentials.map((c) => ({ id: c.credential_id, transports: c.transports as Transport[] })),
    userVerification: 'required',
  });
  await cache.set(`passkey-authentication:${context}`, JSON.stringify({ psuId, challenge: options.challenge }), CHALLENGE_TTL_SECONDS);
  return options;
}

/**
 * Verifies the assertion against the stored key and counter (a counter that does not increase
 * signals a cloned authenticator, WebAuthn §6.1.1) and that user verification happened.
 */
export async function finishPasskeyAuthentication(db: Db, cache: Cache, psuId: string, response: AuthenticationResponseJSON, rp: RelyingParty, context: string): Promise<void> {
  const key = `passkey-authentication:${context}`;
  const pending = await cache.get(key);
  await cache.del(key);
  const expected = pending ? (JSON.parse(pending) as { psuId: string; challenge: string }) : undefined;
  const stored = await db.selectFrom('psu_passkeys').selectAll().where('credential_id', '=', String(response?.id ?? '')).where('psu_id', '=', psuId).executeTakeFirst();
  if (!expected || expected.psuId !== psuId || !stored) throw new AppError(PsuIdentityErrors.PASSKEY_FAILED);
  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge: expected.challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: true,
    credential: {
      id: stored.credential_id,
      publicKey: new Uint8Array(Buffer.from(stored.public_key, 'base64url')),
      counter: Number(stored.counter),
      transports: stored.transports as Transport[],
    },
  }).catch(() => undefined);
  if (!verification?.verified) throw new AppError(PsuIdentityErrors.PASSKEY_FAILED);
  await db
    .updateTable('psu_passkeys')
    .set({ counter: BigInt(verification.authenticationInfo.newCounter), last_used_at: new Date() })
    .where('credential_id', '=', stored.credential_id)
    .execute();
}
