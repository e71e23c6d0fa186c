/**
 * One strong customer authentication of a consent, as a resource of its own: a standard whose TPPs
 * start SCA themselves (Berlin Group's authorisation sub-resources) creates one, the PSU completes
 * it on the bank's pages (the redirect approach) and the TPP reads where it stands. `authorise`
 * authorises the consent; `cancel` confirms the cancellation of the payment the consent made;
 * `authorise-basket` authorises every member of a signing basket at once.
 */
export type ScaPurpose = 'authorise' | 'cancel' | 'authorise-basket';

/**
 * Where an SCA stands: created, the PSU identified (password verified), authenticated (second
 * factor verified), finalised (the PSU decided: the consent is authorised, or the cancellation
 * confirmed) or failed (denied, cancelled, timed out, or the consent could not be authorised).
 */
export type ScaStatus = 'received' | 'psu-identified' | 'psu-authenticated' | 'finalised' | 'failed';

export interface ScaAuthorisation {
  readonly id: string;
  /** The consent the SCA is of; for `authorise-basket`, the signing basket. */
  readonly consentId: string;
  readonly clientId: string;
  readonly purpose: ScaPurpose;
  readonly status: ScaStatus;
  /** Where the PSU's browser goes when the SCA is finalised, and when it fails (falls back to the first). */
  readonly redirectUri: string | null;
  readonly nokRedirectUri: string | null;
  /** The PSU who identified themselves; from then on no other PSU can continue this SCA. */
  readonly psuId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** After this the PSU can no longer complete it (it reads as failed). */
  readonly expiresAt: Date;
}

/** How long a PSU has to complete an SCA once it is started. */
export const SCA_LIFETIME_MS = 15 * 60 * 1000;

export const FINAL_SCA_STATUSES: ReadonlySet<ScaStatus> = new Set(['finalised', 'failed']);

/** The SCA as of `now`: one not final past its lifetime has failed. */
export function scaAsOf(sca: ScaAuthorisation, now: Date): ScaAuthorisation {
  return !FINAL_SCA_STATUSES.has(sca.status) && sca.expiresAt <= now ? { ...sca, status: 'failed' } : sca;
}
