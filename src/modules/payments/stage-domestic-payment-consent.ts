import { isSupportedCurrency, parsePositiveAmount, type CoreBanking } from '../../core/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { Consent, PaymentSummary } from '../consents/index.ts';
import { checkIdempotencyKey, type ReceivedRequest } from '../idempotency/index.ts';
import { checkAccountIdentification, namedDebtorAccountId } from './payment-accounts.ts';
import type { DomesticPaymentTerms } from './payment-model.ts';
import { PaymentErrors } from './payments.errors.ts';
import type { PaymentStores } from './payment-stores.ts';

/** What every payment consent a TPP stages carries besides its terms. */
export interface StagedRequest extends ReceivedRequest {
  /** The TPP (OAuth client) staging the consent. */
  readonly clientId: string;
  /** The request's idempotency key header, as received (OB v4.0 `x-idempotency-key`). */
  readonly idempotencyKey: string | readonly string[] | undefined;
  /**
   * The scope the key is claimed in, where one operation of a standard stages consents of several
   * kinds (a Berlin Group single payment, immediate or future-dated): one key space, so another
   * body under the same key is refused whichever kind it asks for. By default each kind's own.
   */
  readonly idempotencyScope?: string | undefined;
}

export interface NewDomesticPaymentConsent extends StagedRequest {
  readonly terms: DomesticPaymentTerms;
}

export interface StageDomesticPaymentConsentDeps extends PaymentStores {
  readonly core: Pick<CoreBanking, 'findAccountByIdentifier'>;
}

/** Idempotency scope of `POST /domestic-payment-consents`. */
export const DOMESTIC_PAYMENT_CONSENTS_OPERATION = 'domestic-payment-consents';

/**
 * Stages a domestic payment consent (AwaitingAuthorisation) for the PSU to authorise: the amount
 * and the creditor are checked and kept in the neutral summary the PSU is shown and authenticates
 * (src/modules/consents `PaymentSummary`, dynamic linking); a debtor account the TPP names must be
 * one of the bank's. Idempotent by the request's key: a repeat answers with the consent the first
 * request created, another body under the same key is refused (src/modules/idempotency).
 */
export async function stageDomesticPaymentConsent(deps: StageDomesticPaymentConsentDeps, input: NewDomesticPaymentConsent, now: Date = new Date()): Promise<Consent> {
  const key = checkIdempotencyKey(input.idempotencyKey);
  const payment = await paymentSummaryOf(deps.core, input.terms);
  const outcome = await deps.idempotency.withIdempotency(
    { clientId: input.clientId, operation: input.idempotencyScope ?? DOMESTIC_PAYMENT_CONSENTS_OPERATION, key, requestHash: input.requestHash, alongside: input.alongside },
    async (tx) => deps.consents.insert(tx, { kind: 'domestic-payment', clientId: input.clientId, payment }, now),
    now,
  );
  const consent = await deps.consents.find(outcome.resourceId, now);
  if (!consent) throw new Error(`consent ${outcome.resourceId} created under an idempotency key is gone`);
  return consent;
}

/** The consent's neutral payment summary of the terms (also the scheduled and standing-order consents'). */
export async function paymentSummaryOf(core: StageDomesticPaymentConsentDeps['core'], terms: DomesticPaymentTerms): Promise<PaymentSummary> {
  const { decimal, currency } = terms.amount;
  if (!isSupportedCurrency(currency)) throw new AppError(PaymentErrors.CURRENCY_UNSUPPORTED, { details: [{ field: 'instruction.amount.currency' }] });
  const amountMinor = parsePositiveAmount(decimal, currency);
  if (amountMinor === undefined) throw new AppError(PaymentErrors.AMOUNT_INVALID, { details: [{ field: 'instruction.amount.value' }] });
  const creditor = checkAccountIdentification(terms.creditor.scheme, terms.creditor.identification, 'instruction.creditor.account');
  const debtorAccountId = await namedDebtorAccountId(core, terms.debtor);
  return {
    amountMinor,
    currency,
    creditorName: terms.creditor.name,
    creditorScheme: creditor.scheme,
    creditorIdentification: creditor.identification,
    reference: terms.reference,
    debtorAccountId,
  };
}
