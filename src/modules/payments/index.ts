/**
 * Payments: payment consents staged by PISPs, payments submitted under them and their execution on
 * the core. Neutral model; the standards (src/standards/uk-obie/v4.0/...) map it to the wire.
 */
export type { DomesticPayment, DomesticPaymentTerms, PaymentAccount, PaymentAccountScheme, PaymentStatus, PaymentStatusReason } from './payment-model.ts';
export { stageDomesticPaymentConsent, DOMESTIC_PAYMENT_CONSENTS_OPERATION } from './stage-domestic-payment-consent.ts';
export type { NewDomesticPaymentConsent, StageDomesticPaymentConsentDeps } from './stage-domestic-payment-consent.ts';
export { getDomesticPaymentConsentForClient, confirmFundsForConsent } from './payment-consents.ts';
export type { DomesticPaymentConsentView, FundsConfirmation } from './payment-consents.ts';
export { submitDomesticPayment, DOMESTIC_PAYMENTS_OPERATION } from './submit-domestic-payment.ts';
export type { DomesticPaymentSubmission, SubmitDomesticPaymentDeps, SubmittedDomesticPayment } from './submit-domestic-payment.ts';
export { findDomesticPayment, getDomesticPaymentForClient } from './get-domestic-payment.ts';
export { executeDomesticPayment, domesticPaymentExecution, EXECUTE_DOMESTIC_PAYMENT_JOB } from './execute-domestic-payment.ts';
export type { DomesticPaymentExecutionPayload } from './execute-domestic-payment.ts';
export { PAYMENT_STATUS_CHANGED_SUBJECT } from './payment-events.ts';
export type { PaymentStatusChangedEvent } from './payment-events.ts';
export { PaymentErrors } from './payments.errors.ts';
