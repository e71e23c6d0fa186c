import type { Consent } from '../consents/index.ts';
import type { AlongsideWrite } from '../idempotency/index.ts';

/** How the TPP names the PSU's account (neutral scheme, as the core identifies accounts). */
export interface FundsAccountIdentification {
  readonly scheme: string;
  readonly identification: string;
}

/** A confirmation-of-funds consent as staged by a CBPII. */
export interface NewFundsConfirmationConsent {
  /** The CBPII (OAuth client) staging the consent. */
  readonly clientId: string;
  readonly debtor: FundsAccountIdentification;
  readonly expiresAt?: Date | undefined;
  /** Writes that commit with the consent (the facade keeping the request as received). */
  readonly alongside?: AlongsideWrite | undefined;
}

/** One funds check under an authorised consent. */
export interface FundsCheck {
  /** The consent the request names: it must be the token's. */
  readonly consentId: string;
  readonly reference: string;
  /** The amount as sent (decimal string) and its ISO 4217 currency. */
  readonly amount: { readonly decimal: string; readonly currency: string };
}

/** The answer: yes or no, never the balance (PSD2 Art. 65(3)). */
export interface FundsConfirmation {
  readonly id: string;
  readonly consent: Consent;
  readonly fundsAvailable: boolean;
  readonly checkedAt: Date;
}
