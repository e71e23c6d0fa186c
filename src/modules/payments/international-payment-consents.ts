import type { CoreBanking } from '../../core/index.ts';
import type { ExchangeRates, ExchangeRateTerms } from '../../core/fx/index.ts';
import type { Consent } from '../consents/index.ts';
import { HOME_CURRENCY } from './international-payment-model.ts';
import { getPaymentConsentForClient, type DomesticPaymentConsentView, type FundsConfirmation } from './payment-consents.ts';
import type { PaymentStores } from './payment-stores.ts';
import { debitOf } from './submit-international-payment.ts';

export interface InternationalPaymentConsentView extends DomesticPaymentConsentView {
  readonly exchangeRate: ExchangeRateTerms | undefined;
}

/**
 * An international payment consent (or one of another `kind` that agrees a rate: an international
 * scheduled payment's) as its TPP sees it (another TPP's, or another kind, is NOT_FOUND), with the
 * debtor once known and its rate.
 */
export async function getInternationalPaymentConsentForClient(
  stores: Pick<PaymentStores, 'consents' | 'payments'>,
  core: Pick<CoreBanking, 'getAccountOverview'>,
  id: string,
  clientId: string,
  now: Date = new Date(),
  kind: 'international-payment' | 'international-scheduled-payment' = 'international-payment',
): Promise<InternationalPaymentConsentView> {
  const view = await getPaymentConsentForClient(stores.consents, core, id, clientId, kind, now);
  return { ...view, exchangeRate: await stores.payments.findExchangeRate(view.consent.id) };
}

/**
 * Whether the account the PSU chose could pay the consent now: the instructed amount converted
 * into the account's currency as a submission now would (`debitOf`), against the core's available
 * funds. A yes/no only.
 */
export async function confirmInternationalFunds(
  deps: { readonly payments: PaymentStores['payments']; readonly core: Pick<CoreBanking, 'checkFunds' | 'getAccount'>; readonly rates: ExchangeRates },
  consent: Consent,
  now: Date = new Date(),
): Promise<FundsConfirmation> {
  const debtorAccountId = consent.accountIds[0];
  if (!consent.payment || !debtorAccountId) throw new Error(`consent ${consent.id} is not an authorised payment consent`);
  const currency = (await deps.core.getAccount(debtorAccountId))?.currency ?? HOME_CURRENCY;
  const { amountMinor, currency: instructedCurrency, currencyOfTransfer = instructedCurrency } = consent.payment;
  const { debit } = await debitOf(deps.rates, { amountMinor, currency: instructedCurrency }, currency, await deps.payments.findExchangeRate(consent.id), now, currencyOfTransfer);
  return { fundsAvailable: await deps.core.checkFunds(debtorAccountId, debit), checkedAt: now };
}
