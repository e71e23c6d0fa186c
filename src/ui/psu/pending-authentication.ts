import type { PageStateStore } from './psu-pages-options.ts';

/** The second factors a PSU can complete SCA with, by their RFC 8176 `amr` values. */
export const SECOND_FACTORS = {
  otp: ['pwd', 'otp'],
  passkey: ['pwd', 'hwk', 'user'],
} as const;
export type SecondFactor = keyof typeof SECOND_FACTORS;

/**
 * What one authorisation request (one interaction) has verified of the PSU so far: set after the
 * password, completed by the second factor. It lives only with that interaction, so nothing
 * verified for one request counts for another; the authorisation server learns of the login only
 * when the request is finished with both factors.
 */
export interface PendingAuthentication {
  readonly psuId: string;
  readonly secondFactor?: SecondFactor | undefined;
}

const TTL_SECONDS = 10 * 60;
const key = (uid: string) => `psu-interaction:${uid}:authentication`;

export async function loadPendingAuthentication(cache: PageStateStore, uid: string): Promise<PendingAuthentication | undefined> {
  const stored = await cache.get(key(uid));
  return stored ? (JSON.parse(stored) as PendingAuthentication) : undefined;
}

export async function savePendingAuthentication(cache: PageStateStore, uid: string, pending: PendingAuthentication): Promise<void> {
  await cache.set(key(uid), JSON.stringify(pending), TTL_SECONDS);
}

export async function clearPendingAuthentication(cache: PageStateStore, uid: string): Promise<void> {
  await cache.del(key(uid));
}

/** The login result of a completed SCA (PSD2 RTS Art. 4: two independent factors). */
export function scaLogin(psuId: string, secondFactor: SecondFactor) {
  return { accountId: psuId, acr: 'urn:openbanking:psd2:sca', amr: [...SECOND_FACTORS[secondFactor]], remember: false };
}
