import { consentAsOf } from './consent-as-of.ts';
import type { Consent } from './consent-model.ts';
import type { ConsentsRepository } from './consents.repository.port.ts';

/** The most consents the dashboard's payments and history list. */
const HISTORY_LIMIT = 50;

/** Consents a PSU has authorised and not revoked, newest first (the access dashboard). */
export async function listConsentsOfPsu(repository: ConsentsRepository, psuId: string, now: Date = new Date()): Promise<Consent[]> {
  return (await repository.listAuthorisedOfPsu(psuId)).map((consent) => consentAsOf(consent, now));
}

/**
 * The payment consents a PSU has authorised, newest first (the access dashboard's payments): those
 * still Authorised (a VRP consent stays so until revoked or past its validity), and the history of
 * used (Consumed), revoked and expired ones.
 */
export async function listPaymentConsentsOfPsu(repository: ConsentsRepository, psuId: string, now: Date = new Date()): Promise<Consent[]> {
  return (await repository.listPaymentsOfPsu(psuId, HISTORY_LIMIT)).map((consent) => consentAsOf(consent, now));
}

/**
 * The data-sharing consents (account access, funds confirmation) a PSU authorised that have
 * ended — revoked by the PSU or the provider, or past their expiry — for the dashboard's history
 * (most recently ended first). Payment consents are listed by `listPaymentConsentsOfPsu`.
 */
export async function listEndedConsentsOfPsu(repository: ConsentsRepository, psuId: string, now: Date = new Date()): Promise<Consent[]> {
  return (await repository.listEndedOfPsu(psuId, now, HISTORY_LIMIT)).map((consent) => consentAsOf(consent, now));
}
