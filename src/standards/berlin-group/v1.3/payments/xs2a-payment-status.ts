import type { Consent } from '../../../../modules/consents/index.ts';
import type { DomesticPayment } from '../../../../modules/payments/index.ts';

/** `tppMessageText` is at most 500 characters (v1.3.12). */
const TEXT_MAX = 500;

/** ISO 20022 AM04, insufficient funds: the code v1.3.12 gives it in a status answer (`MessageCode200InitiationStatus`). */
const FUNDS_REASON = 'AM04';

export interface Xs2aTppMessage {
  readonly category: 'ERROR';
  readonly code: string;
  readonly text: string;
}

/** A payment's status as its status and read answers give it: `transactionStatus`, and why it was rejected where the bank knows. */
export interface Xs2aPaymentStatus {
  readonly transactionStatus: string;
  readonly tppMessages?: readonly Xs2aTppMessage[];
}

/**
 * The status of a payment with, once it is RJCT, the reason the bank rejected it as `tppMessages`
 * (`paymentInitiationStatusResponse-200_json`, "Messages to the TPP on operational issues"):
 * the core's refusal of the payment (ISO 20022 reason; insufficient funds is `FUNDS_NOT_AVAILABLE`,
 * anything else `PAYMENT_FAILED`), or the payments module's refusal of the payment once the PSU
 * had authorised it (the consent's reason, `PAYMENT_FAILED`). Rejections without a recorded
 * reason — the PSU denied the payment, or it was never authorised in time — carry none.
 */
export function xs2aPaymentStatus(
  transactionStatus: string,
  consent: Pick<Consent, 'status' | 'statusReason'>,
  payment?: Pick<DomesticPayment, 'status' | 'statusReason'>,
): Xs2aPaymentStatus {
  if (transactionStatus !== 'RJCT') return { transactionStatus };
  const message = (code: string, text: string): Xs2aPaymentStatus => ({ transactionStatus, tppMessages: [{ category: 'ERROR', code, text: text.slice(0, TEXT_MAX) }] });
  if (payment?.status === 'rejected' && payment.statusReason) {
    return message(payment.statusReason.code === FUNDS_REASON ? 'FUNDS_NOT_AVAILABLE' : 'PAYMENT_FAILED', payment.statusReason.description);
  }
  if (!payment && consent.status === 'rejected' && consent.statusReason) return message('PAYMENT_FAILED', consent.statusReason.description);
  return { transactionStatus };
}
