import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type { Cache } from '../../platform/cache/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';
import { verifyTotp } from './totp.ts';
import { PsuIdentityErrors } from './psu-identity.errors.ts';

export interface LockoutPolicy {
  /** Consecutive failures (password or one-time code) that lock the login. */
  readonly maxFailures: number;
  readonly lockSeconds: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockSeconds: 15 * 60 };

export interface AuthenticatedPsu {
  readonly psuId: string;
  readonly partyId: string;
  readonly username: string;
}

// Compared against when the username is unknown, so both paths cost one scrypt (no enumeration by timing).
let dummyHash: Promise<string> | undefined;

async function recordFailure(db: Db, psuId: string, policy: LockoutPolicy, now: Date): Promise<void> {
  await db
    .updateTable('psu_users')
    .set({
      failed_attempts: sql<number>`failed_attempts + 1`,
      locked_until: sql<Date | null>`CASE WHEN failed_attempts + 1 >= ${policy.maxFailures}
        THEN ${new Date(now.getTime() + policy.lockSeconds * 1000)}::timestamptz ELSE locked_until END`,
    })
    .where('id', '=', psuId)
    .execute();
}

async function recordSuccess(db: Db, psuId: string): Promise<void> {
  await db.updateTable('psu_users').set({ failed_attempts: 0, locked_until: null }).where('id', '=', psuId).execute();
}

/** First factor: username and password, with lockout after repeated failures. */
export async function authenticatePassword(
  db: Db,
  cache: Cache,
  credentials: { username: string; password: string },
  options: { now?: Date; policy?: LockoutPolicy } = {},
): Promise<AuthenticatedPsu> {
  const now = options.now ?? new Date();
  const policy = options.policy ?? DEFAULT_LOCKOUT;
  const user = await db
    .selectFrom('psu_users')
    .select(['id', 'party_id', 'username', 'password_hash', 'locked_until'])
    .where('username', '=', credentials.username.trim().toLowerCase())
    .executeTakeFirst();
  if (!user) {
    dummyHash ??= hashPassword('portico-dummy-password');
    await verifyPassword(credentials.password, await dummyHash);
    // Unknown usernames lock like known ones, so "locked" does not reveal that a username exists.
    const failures = await cache.increment(`psu-login-failures:${credentials.username.trim().toLowerCase()}`, policy.lockSeconds);
    throw new AppError(failures > policy.maxFailures ? PsuIdentityErrors.LOCKED : PsuIdentityErrors.INVALID_CREDENTIALS);
  }
  if (user.locked_until && user.locked_until > now) throw new AppError(PsuIdentityErrors.LOCKED);
  if (!(await verifyPassword(credentials.password, user.password_hash))) {
    await recordFailure(db, user.id, policy, now);
    throw new AppError(PsuIdentityErrors.INVALID_CREDENTIALS);
  }
  return { psuId: user.id, partyId: user.party_id, username: user.username };
}

/**
 * Second factor: the TOTP code. A code is accepted once per user and time step (RFC 6238 §5.2),
 * enforced through the shared cache so it holds across instances.
 */
export async function verifyOneTimeCode(
  db: Db,
  cache: Cache,
  psuId: string,
  code: string,
  options: { now?: Date; policy?: LockoutPolicy } = {},
): Promise<void> {
  const now = options.now ?? new Date();
  const policy = options.policy ?? DEFAULT_LOCKOUT;
  const user = await db.selectFrom('psu_users').select(['id', 'totp_secret', 'locked_until']).where('id', '=', psuId).executeTakeFirst();
  if (!user) throw new AppError(PsuIdentityErrors.INVALID_ONE_TIME_CODE);
  if (user.locked_until && user.locked_until > now) throw new AppError(PsuIdentityErrors.LOCKED);
  const step = verifyTotp(user.totp_secret, code.trim(), now);
  if (step === undefined || !(await cache.setIfAbsent(`totp-used:${psuId}:${step}`, '1', 120))) {
    await recordFailure(db, user.id, policy, now);
    throw new AppError(PsuIdentityErrors.INVALID_ONE_TIME_CODE);
  }
  await recordSuccess(db, user.id);
}

/** A PSU by id (after login, from the authorisation session). */
export async function findPsu(db: Db, psuId: string): Promise<AuthenticatedPsu | undefined> {
  const row = await db.selectFrom('psu_users').select(['id', 'party_id', 'username']).where('id', '=', psuId).executeTakeFirst();
  return row && { psuId: row.id, partyId: row.party_id, username: row.username };
}
