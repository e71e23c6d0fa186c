import type { DomesticPayment } from '../../../../modules/payments/index.ts';

/**
 * OB v4.0 `ExternalPaymentTransactionStatus1Code` (ISO 20022) of a payment: PDNG (submitted,
 * awaiting execution), ACSP (AcceptedSettlementInProcess: debited and sent to the scheme), ACSC
 * (AcceptedSettlementCompleted: the scheme settled it), ACCC (AcceptedCreditSettlementCompleted:
 * credited to the creditor's account here, settlement on the creditor's side completed), RJCT, and
 * CANC (a scheduled payment cancelled before it ran; only scheduled payments are ever cancelled,
 * and their resource's enum has CANC).
 */
export type ObPaymentStatusCode = 'PDNG' | 'ACSP' | 'ACSC' | 'ACCC' | 'RJCT' | 'CANC';

/**
 * The code of a payment's neutral status: a settled payment is ACCC when its creditor's account
 * is one of the bank's own (paid on us, credited at once), else ACSC (settled by the scheme).
 */
export function obPaymentStatusCode(payment: Pick<DomesticPayment, 'status' | 'creditorAccountId'>): ObPaymentStatusCode {
  switch (payment.status) {
    case 'pending':
      return 'PDNG';
    case 'booked':
      return 'ACSP';
    case 'settled':
      return payment.creditorAccountId === null ? 'ACSC' : 'ACCC';
    case 'rejected':
      return 'RJCT';
    case 'cancelled':
      return 'CANC';
  }
}

/**
 * The code in a resource whose status enum has no ACCC (`OBWriteDomesticScheduledResponse5`): a
 * payment credited to an account of this bank reads ACSC there.
 */
export function obPaymentStatusCodeWithoutCredit(payment: Pick<DomesticPayment, 'status' | 'creditorAccountId'>): Exclude<ObPaymentStatusCode, 'ACCC'> {
  const code = obPaymentStatusCode(payment);
  return code === 'ACCC' ? 'ACSC' : code;
}
