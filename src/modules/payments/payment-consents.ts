import type { CoreBanking } from '../../core/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { ConsentErrors, type Consent, type ConsentKind } from '../consents/index.ts';
import { describeAccount } from './payment-accounts.ts';
import type { PaymentAccount } from './payment-model.ts';
import type { PaymentConsents } from './payment-consents.port.ts';

export interface DomesticPaymentConsentView {
  readonly consent: Consent;
  /** The account the PSU chose to pay from, once the consent is authorised. */
  readonly debtor: PaymentAccount | null;
}

/** The consent kinds a payment is made under. */
export type PaymentConsentKind = Exclude<ConsentKind, 'account-access' | 'funds-confirmation'>;

/** A payment consent of `kind` as its TPP sees it (another TPP's, or another kind, is NOT_FOUND), with the debtor once known. */
export async function getPaymentConsentForClient(
  consents: PaymentConsents,
  core: Pick<CoreBanking, 'getAccountOverview'>,
  id: string,
  clientId: string,
  kind: PaymentConsentKind,
  now: Date = new Date(),
): Promise<DomesticPaymentConsentView> {
  const consent = await consents.getForClient(id, clientId, kind, now);
  // OB v4.0 VRP: `DELETE /domestic-vrp-consents/{ConsentId}` deletes the consent; to its TPP it no
  // longer exists (conformance suite OB-400-VRP-102150 "Attempts to Retrieve Deleted Consent": 400).
  // The row stays (CANC) for the PSU's history and for refusing VRPs under it.
  if (kind === 'domestic-vrp' && consent.status === 'revoked' && consent.revokedBy === 'TPP') throw new AppError(ConsentErrors.NOT_FOUND);
  const debtorAccountId = consent.accountIds[0];
  return { consent, debtor: debtorAccountId ? await describeAccount(core, debtorAccountId) : null };
}

export interface FundsConfirmation {
  readonly fundsAvailable: boolean;
  readonly checkedAt: Date;
}

/**
 * Whether the account the PSU chose could pay the consent's amount now (OB v4.0
 * `/domestic-payment-consents/{ConsentId}/funds-confirmation`): the core's available balance with
 * any overdraft. A yes/no only: no balance is disclosed.
 */
export async function confirmFundsForConsent(core: Pick<CoreBanking, 'checkFunds'>, consent: Consent, now: Date = new Date()): Promise<FundsConfirmation> {
  const debtorAccountId = consent.accountIds[0];
  if (!consent.payment || !debtorAccountId) throw new Error(`consent ${consent.id} is not an authorised payment consent`);
  const fundsAvailable = await core.checkFunds(debtorAccountId, { amountMinor: consent.payment.amountMinor, currency: consent.payment.currency });
  return { fundsAvailable, checkedAt: now };
}
