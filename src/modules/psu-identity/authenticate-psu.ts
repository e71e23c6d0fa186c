import { randomBytes } from 'node:crypto';
import { AppError } from '../../platform/errors/index.ts';
import { CURRENT_HASH_PARAMS, verifyPassword } from './password-hash.ts';
import { verifyTotp } from './totp.ts';
import { PsuIdentityErrors } from './psu-identity.errors.ts';
import type { LoginGuard } from './login-guard.ts';
import type { PsuIdentityRepository } from './psu-identity.repository.port.ts';

export interface AuthenticatedPsu {
  readonly psuId: string;
  readonly partyId: string;
  readonly username: string;
}

/** Where an attempt comes from: the client address (Fastify `request.ip`, see TRUST_PROXY). */
export interface AttemptSource {
  readonly source: string;
}

// Compared against when the username is unknown, so both paths cost one scrypt with the current
// parameters (no enumeration by timing). Random salt and hash: no password matches it.
const DUMMY_HASH = ['scrypt', CURRENT_HASH_PARAMS.N, CURRENT_HASH_PARAMS.r, CURRENT_HASH_PARAMS.p, randomBytes(16).toString('base64url'), randomBytes(32).toString('base64url')].join('$');

/**
 * First factor: username and password. The attempt is throttled per (username, source), per
 * username and per source (login-guard.ts) before anything is looked up, and the hash runs in one
 * of the process's hashing slots — for unknown usernames too, so they read exactly like a wrong
 * password: same checks, same hash, same answer.
 */
export async function authenticatePassword(psus: PsuIdentityRepository, guard: LoginGuard, credentials: { username: string; password: string }, options: AttemptSource): Promise<AuthenticatedPsu> {
  const attempt = await guard.admitPassword(credentials.username, options.source);
  const user = await psus.findByUsername(credentials.username.trim().toLowerCase());
  const matches = await guard.hash(() => verifyPassword(credentials.password, user?.passwordHash ?? DUMMY_HASH));
  if (!user || !matches) throw new AppError(PsuIdentityErrors.INVALID_CREDENTIALS);
  await attempt.succeeded();
  return { psuId: user.id, partyId: user.partyId, username: user.username };
}

/**
 * Second factor: the TOTP code, throttled per (PSU, source) and per PSU (login-guard.ts), so a
 * 6-digit code cannot be brute-forced. A code is accepted once per user and time step (RFC 6238
 * §5.2), enforced through the shared cache so it holds across instances.
 */
export async function verifyOneTimeCode(psus: PsuIdentityRepository, guard: LoginGuard, psuId: string, code: string, options: AttemptSource & { now?: Date }): Promise<void> {
  const now = options.now ?? new Date();
  const attempt = await guard.admitOneTimeCode(psuId, options.source);
  const user = await psus.findById(psuId);
  if (!user) throw new AppError(PsuIdentityErrors.INVALID_ONE_TIME_CODE);
  const step = verifyTotp(user.totpSecret, code.trim(), now);
  if (step === undefined || !(await guard.cache.setIfAbsent(`totp-used:${psuId}:${step}`, '1', 120))) {
    throw new AppError(PsuIdentityErrors.INVALID_ONE_TIME_CODE);
  }
  await attempt.succeeded();
}

/** A PSU by id (after login, from the authorisation session). */
export async function findPsu(psus: PsuIdentityRepository, psuId: string): Promise<AuthenticatedPsu | undefined> {
  const user = await psus.findById(psuId);
  return user && { psuId: user.id, partyId: user.partyId, username: user.username };
}
