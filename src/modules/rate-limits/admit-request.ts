import type { RateLimiter } from '../../platform/cache/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { RateLimitErrors } from './rate-limits.errors.ts';

/** Who a request counts against: the TPP (its OAuth client; Berlin Group: its organisation) and the consent it acts under, once established. */
export interface RateLimitSubject {
  readonly clientId: string;
  /** Only a consent a security step established as the TPP's own: an id a caller merely named would let it spend another's allowance. */
  readonly consentId?: string | undefined;
}

/** Which allowance a refusal used up. */
export type RateLimitKind = 'client' | 'consent';

/** The limiters of one API family: per TPP, and per consent where the family has one. */
export interface FamilyLimiters {
  readonly client: RateLimiter;
  readonly consent: RateLimiter | undefined;
}

/**
 * Counts the request against its TPP's allowance and its consent's, both at once (one round trip to
 * Redis), and refuses it with `Retry-After` when either is used up; the one to wait longest for is
 * the one named. Consent ids are counted under their TPP, so no TPP can spend another's allowance.
 */
export async function admitRequest(limiters: FamilyLimiters, subject: RateLimitSubject, onLimited?: (kind: RateLimitKind) => void): Promise<void> {
  const [client, consent] = await Promise.all([
    limiters.client.consume(subject.clientId),
    subject.consentId !== undefined && limiters.consent ? limiters.consent.consume(`${subject.clientId}:${subject.consentId}`) : undefined,
  ]);
  if (client.admitted && (!consent || consent.admitted)) return;
  const refusals = [
    ...(client.admitted ? [] : [{ kind: 'client' as const, retryAfterMs: client.retryAfterMs }]),
    ...(consent && !consent.admitted ? [{ kind: 'consent' as const, retryAfterMs: consent.retryAfterMs }] : []),
  ].sort((a, b) => b.retryAfterMs - a.retryAfterMs);
  const refusal = refusals[0];
  if (!refusal) return;
  onLimited?.(refusal.kind);
  throw new AppError(refusal.kind === 'client' ? RateLimitErrors.CLIENT_EXCEEDED : RateLimitErrors.CONSENT_EXCEEDED, { retryAfterSeconds: refusal.retryAfterMs / 1000 });
}
