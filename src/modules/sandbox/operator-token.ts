import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../platform/errors/index.ts';
import { SandboxErrors } from './sandbox.errors.ts';

/**
 * A new operator token: 256 random bits. The server that holds an embedded data dir writes it into
 * the dir's lock file (readable by its owner only), so exactly the processes that could open the
 * database themselves may call the operator API in its place.
 */
export function createOperatorToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Throws unless `authorization` is `Bearer <expected>`; compared in constant time (RFC 6750 §2.1). */
export function checkOperatorToken(expected: string, authorization: string | undefined): void {
  const presented = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  if (!timingSafeEqual(digest(presented), digest(expected))) throw new AppError(SandboxErrors.OPERATOR_UNAUTHORISED);
}
