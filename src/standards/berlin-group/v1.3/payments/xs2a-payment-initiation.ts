import { PaymentInstruction, type Consent } from '../../../../modules/consents/index.ts';
import type { DomesticPayment, DomesticPaymentTerms } from '../../../../modules/payments/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';

/** The payment products this bank offers for single payments (NextGenPSD2 §5.3.1). */
export const PAYMENT_PRODUCTS = ['sepa-credit-transfers', 'instant-sepa-credit-transfers', 'target-2-payments', 'cross-border-credit-transfers'] as const;
export type PaymentProduct = (typeof PAYMENT_PRODUCTS)[number];
/** The euro products: SEPA and TARGET2 pay euros only. */
const EURO_ONLY: ReadonlySet<PaymentProduct> = new Set(['sepa-credit-transfers', 'instant-sepa-credit-transfers', 'target-2-payments']);

const productUnknown = (value: string) => new AppError(Xs2aErrors.PRODUCT_UNKNOWN, { message: `This bank does not offer the payment product ${value.slice(0, 60)}` });

export function paymentProductOf(value: string): PaymentProduct {
  if (!(PAYMENT_PRODUCTS as readonly string[]).includes(value)) throw productUnknown(value);
  return value as PaymentProduct;
}

/** How a product's payment information is sent: JSON, or an ISO 20022 pain.001 document (`pain.001-…`). */
export type PaymentFormat = 'json' | 'pain.001';
const PAIN001_PREFIX = 'pain.001-';

/**
 * The product a path's `payment-product` names, and its format: each product of the table above
 * also as `pain.001-{product}` (NextGenPSD2 §5.3.1) where the service takes a pain.001 body.
 */
export function productOfPath(value: string, pain001Served: boolean): { product: PaymentProduct; format: PaymentFormat } {
  if (!value.startsWith(PAIN001_PREFIX)) return { product: paymentProductOf(value), format: 'json' };
  if (!pain001Served) throw productUnknown(value);
  const product = value.slice(PAIN001_PREFIX.length);
  if (!(PAYMENT_PRODUCTS as readonly string[]).includes(product)) throw productUnknown(value);
  return { product: product as PaymentProduct, format: 'pain.001' };
}

/** `paymentInitiation_json`, the members this bank reads. */
export interface Xs2aPaymentInitiation {
  readonly endToEndIdentification?: string;
  readonly debtorAccount?: { readonly iban?: string; readonly currency?: string };
  readonly instructedAmount: { readonly currency: string; readonly amount: string };
  readonly creditorAccount: { readonly iban?: string };
  readonly creditorName: string;
  readonly remittanceInformationUnstructured?: string;
  readonly requestedExecutionDate?: string;
  readonly [other: string]: unknown;
}

/** The IBAN of an `accountReference` (`path` names it in the refusal): this bank addresses accounts by IBAN only. */
export function ibanOf(account: { readonly iban?: string } | undefined, path: string): string {
  if (account?.iban === undefined) throw new AppError(Xs2aErrors.PARAMETER_NOT_SUPPORTED, { message: 'Accounts are addressed by IBAN at this bank', details: [{ path }] });
  return account.iban;
}

/** How far ahead a single payment may be dated: up to the same day next year. */
export const FUTURE_DATED_HORIZON_YEARS = 1;

/**
 * The day a single payment is to be executed: undefined for one executed at once (no
 * `requestedExecutionDate`, or today), else the start (UTC) of its future date — after today and at
 * most a year ahead (`FUTURE_DATED_HORIZON_YEARS`); a date in the past or beyond is
 * EXECUTION_DATE_INVALID.
 */
export function futureExecutionOf(body: Pick<Xs2aPaymentInitiation, 'requestedExecutionDate'>, today: string): Date | undefined {
  const date = body.requestedExecutionDate;
  if (date === undefined || date === today) return undefined;
  const at = new Date(`${date}T00:00:00.000Z`);
  const horizon = `${String(Number(today.slice(0, 4)) + FUTURE_DATED_HORIZON_YEARS).padStart(4, '0')}${today.slice(4)}`;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(at.getTime()) || date < today || date > horizon) {
    throw new AppError(Xs2aErrors.EXECUTION_DATE_INVALID, { message: `requestedExecutionDate must be today, or a day after today up to ${horizon}`, details: [{ path: 'requestedExecutionDate' }] });
  }
  return at;
}

/**
 * The neutral terms of a single payment initiation: euros for the SEPA and TARGET2 products, both
 * accounts by IBAN (its execution date is `futureExecutionOf`'s; periodic payments schedule theirs).
 */
export function paymentTermsOfXs2a(product: PaymentProduct, body: Xs2aPaymentInitiation): DomesticPaymentTerms {
  if (EURO_ONLY.has(product) && body.instructedAmount.currency !== 'EUR') {
    throw new AppError(Xs2aErrors.PARAMETER_NOT_CONSISTENT, { message: `${product} pay euros only`, details: [{ path: 'instructedAmount.currency' }] });
  }
  return {
    amount: { decimal: body.instructedAmount.amount, currency: body.instructedAmount.currency },
    creditor: { name: body.creditorName, scheme: 'IBAN', identification: ibanOf(body.creditorAccount, 'creditorAccount') },
    ...(body.debtorAccount ? { debtor: { scheme: 'IBAN', identification: ibanOf(body.debtorAccount, 'debtorAccount') } } : {}),
    reference: body.remittanceInformationUnstructured ?? null,
  };
}

/** The payment instruction the PSU authorised: what the one-step initiation executes, as it was. */
export function instructionOfXs2a(body: Xs2aPaymentInitiation): PaymentInstruction {
  return PaymentInstruction.of({
    amount: { decimal: body.instructedAmount.amount, currency: body.instructedAmount.currency },
    creditor: { scheme: 'IBAN', identification: body.creditorAccount.iban ?? '', name: body.creditorName },
    ...(body.debtorAccount?.iban ? { debtor: { scheme: 'IBAN', identification: body.debtorAccount.iban } } : {}),
    ...(body.remittanceInformationUnstructured ? { remittance: { unstructured: [body.remittanceInformationUnstructured] } } : {}),
  });
}

/**
 * NextGenPSD2 `transactionStatus` (ISO 20022) of a one-step initiation: received until the PSU
 * authorises it, accepted after technical validation until the core answers, then in settlement,
 * settled, or rejected; cancelled when the TPP cancelled it before authorisation, or (a
 * future-dated payment) the PSU confirmed its cancellation before its date. A future-dated payment
 * waiting for its date is ACCP (AcceptedCustomerProfile: authorised by the PSU and accepted, the
 * execution's own checks — funds — still to come on its date) until the core books it.
 */
export function xs2aTransactionStatus(consent: Pick<Consent, 'status' | 'revokedBy'>, payment: Pick<DomesticPayment, 'status' | 'kind'> | undefined): string {
  if (payment?.kind === 'scheduled' && payment.status === 'pending') return 'ACCP';
  if (payment) return { pending: 'ACTC', booked: 'ACSP', settled: 'ACSC', rejected: 'RJCT', cancelled: 'CANC' }[payment.status];
  switch (consent.status) {
    case 'awaiting-upload':
    case 'awaiting-authorisation':
      return 'RCVD';
    case 'authorised':
    case 'consumed':
      return 'ACTC';
    case 'revoked':
      return 'CANC';
    case 'rejected':
    case 'expired':
      return 'RJCT';
  }
}
