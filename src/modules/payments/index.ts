/**
 * Payments: payment consents staged by PISPs, payments submitted under them and their execution on
 * the core. Neutral model; the standards (src/standards/uk-obie/v4.0/...) map it to the wire.
 */
export { createPaymentsModule } from './create-payments-module.ts';
export type { PaymentsApi, PaymentsModuleDeps } from './create-payments-module.ts';
// Value types.
export type {
  DomesticPayment,
  DomesticPaymentTerms,
  PaymentAccount,
  PaymentAccountScheme,
  PaymentOrderKind,
  PaymentOrderType,
  PaymentReach,
  PaymentStatus,
  PaymentStatusReason,
} from './payment-model.ts';
export type { NewDomesticPaymentConsent } from './stage-domestic-payment-consent.ts';
export type { DomesticPaymentConsentView, FundsConfirmation, PaymentConsentKind } from './payment-consents.ts';
export type { DomesticPaymentSubmission, SubmittedDomesticPayment } from './submit-domestic-payment.ts';
export type { VrpControlTerms } from './vrp-model.ts';
export type { NewDomesticVrpConsent } from './stage-domestic-vrp-consent.ts';
export type { DomesticVrpSubmission } from './submit-domestic-vrp.ts';
export type { VrpLimitUsage } from './vrp-usage.ts';
export type { DomesticStandingOrder, StandingOrderStatus } from './standing-order-model.ts';
export type { StandingOrderInstalment } from './standing-orders.repository.port.ts';
export { parseStandingOrderFrequency, nextStandingOrderDate, firstStandingOrderDate, monthsInYearFrequency } from './standing-order-frequency.ts';
export { businessCalendar, businessDayOf, target2ClosingDays, WEEKDAYS_ONLY, type BankHolidays, type BusinessCalendar, type BusinessDayRule } from './business-days.ts';
export type { StandingOrderFrequency } from './standing-order-frequency.ts';
export type { DomesticStandingOrderTerms, NewDomesticScheduledPaymentConsent, NewDomesticStandingOrderConsent } from './stage-scheduled-payment-consents.ts';
export type { DomesticScheduledPaymentSubmission } from './submit-domestic-scheduled-payment.ts';
export type { DomesticStandingOrderSubmission } from './submit-domestic-standing-order.ts';
export type { InternationalPaymentTerms, InternationalStandingOrderTerms } from './international-payment-model.ts';
export type { NewInternationalPaymentConsent, StagedInternationalPaymentConsent } from './stage-international-payment-consent.ts';
export type { SubmittedInternationalPayment } from './submit-international-payment.ts';
export type { InternationalPaymentConsentView } from './international-payment-consents.ts';
export type { NewInternationalScheduledPaymentConsent, NewInternationalStandingOrderConsent } from './stage-international-schedule-consents.ts';
export type { InternationalStandingOrderSubmission } from './submit-international-standing-order.ts';
export type { SubmittedDomesticStandingOrder } from './submit-standing-order.ts';
export type { FilePayment, FilePaymentLimits, FilePaymentStatus, PaymentFileEntry, PaymentFileReader, PaymentFileTerms } from './file-payment-model.ts';
export type { NewFilePaymentConsent } from './stage-file-payment-consent.ts';
export type { PaymentFileUpload } from './upload-payment-file.ts';
export type { SubmittedFilePayment } from './submit-file-payment.ts';
export type { CancelledPaymentOrder, PaymentOrderCancellation } from './cancel-payment-order.ts';
// The payment scheme payments leave the bank through (a port; the sandbox's is one).
export type { PaymentScheme } from './payment-scheme.port.ts';
export { SandboxPaymentScheme } from './sandbox-payment-scheme.ts';
// Events.
export { PaymentStatusChangedV2 } from './payment-events.ts';
export { payeeFingerprint } from './payee-fingerprint.ts';
export { StandingOrderProgressedV2 } from './standing-order-events.ts';
// Jobs: their kinds (the module's own handlers are `PaymentsApi.jobs`), and the one that reaches the core's account orders.
export { EXECUTE_DOMESTIC_PAYMENT_JOB, CORE_ANSWER_JOB } from './send-to-core-job.ts';
export { CONFIRM_PAYMENT_SETTLEMENT_JOB } from './confirm-payment-settlement.ts';
export type { PaymentSettlementPayload } from './confirm-payment-settlement.ts';
export { EXECUTE_STANDING_ORDER_INSTALMENT_JOB } from './standing-order-instalment-job.ts';
export { EXECUTE_INTERNATIONAL_SCHEDULED_PAYMENT_JOB } from './execute-international-scheduled-payment.ts';
export { RECORD_ACCOUNT_ORDER_JOB, accountOrderRecording } from './account-order-job.ts';
// Error catalogues.
export { PaymentErrors } from './payments.errors.ts';
export { VrpErrors } from './vrp.errors.ts';
export { PaymentScheduleErrors } from './payment-schedule.errors.ts';
export { InternationalPaymentErrors } from './international-payment.errors.ts';
export { FilePaymentErrors } from './file-payment.errors.ts';
export type { PaymentsTables } from './infra/payments.tables.ts';
export { ORDER_ENCRYPTED_COLUMNS } from './infra/order-personal-data.ts';
export { PAYMENT_FILE_ENCRYPTED_COLUMNS } from './infra/kysely-payment-files-repository.ts';
