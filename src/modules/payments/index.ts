/**
 * Payments: payment consents staged by PISPs, payments submitted under them and their execution on
 * the core. Neutral model; the standards (src/standards/uk-obie/v4.0/...) map it to the wire.
 */
export type { DomesticPayment, DomesticPaymentTerms, PaymentAccount, PaymentAccountScheme, PaymentStatus, PaymentStatusReason } from './payment-model.ts';
export { stageDomesticPaymentConsent, DOMESTIC_PAYMENT_CONSENTS_OPERATION } from './stage-domestic-payment-consent.ts';
export type { NewDomesticPaymentConsent, StageDomesticPaymentConsentDeps } from './stage-domestic-payment-consent.ts';
export { getPaymentConsentForClient, confirmFundsForConsent } from './payment-consents.ts';
export type { PaymentConsentKind } from './payment-consents.ts';
export type { DomesticPaymentConsentView, FundsConfirmation } from './payment-consents.ts';
export { submitDomesticPayment, DOMESTIC_PAYMENTS_OPERATION } from './submit-domestic-payment.ts';
export type { DomesticPaymentSubmission, SubmitDomesticPaymentDeps, SubmittedDomesticPayment } from './submit-domestic-payment.ts';
export { findDomesticPayment, getDomesticPaymentForClient } from './get-domestic-payment.ts';
export { executeDomesticPayment, domesticPaymentExecution, coreAnswerCheck, recordCoreAnswer } from './execute-domestic-payment.ts';
export { EXECUTE_DOMESTIC_PAYMENT_JOB, CORE_ANSWER_JOB, sendToCoreJob, externalRefOf } from './send-to-core-job.ts';
export type { DomesticPaymentExecutionPayload } from './send-to-core-job.ts';
export type { PaymentScheme } from './payment-scheme.port.ts';
export { SandboxPaymentScheme } from './sandbox-payment-scheme.ts';
export type { SandboxPaymentSchemeOptions } from './sandbox-payment-scheme.ts';
export { confirmPaymentSettlement, paymentSettlementConfirmation, paymentSettlementJob, CONFIRM_PAYMENT_SETTLEMENT_JOB } from './confirm-payment-settlement.ts';
export type { PaymentSettlementPayload } from './confirm-payment-settlement.ts';
export { PaymentStatusChangedV2 } from './payment-events.ts';
export { PaymentErrors } from './payments.errors.ts';
export type { PaymentOrderKind, PaymentOrderType, PaymentReach } from './payment-model.ts';
export type { VrpControls, VrpControlTerms, VrpPeriodicLimit, VrpPeriodType, VrpPeriodAlignment } from './vrp-model.ts';
export { stageDomesticVrpConsent, vrpControlsOf, DOMESTIC_VRP_CONSENTS_OPERATION } from './stage-domestic-vrp-consent.ts';
export type { NewDomesticVrpConsent, StageDomesticVrpConsentDeps } from './stage-domestic-vrp-consent.ts';
export { submitDomesticVrp, DOMESTIC_VRPS_OPERATION } from './submit-domestic-vrp.ts';
export type { DomesticVrpSubmission, SubmitDomesticVrpDeps } from './submit-domestic-vrp.ts';
export { getDomesticVrpForClient, confirmVrpFunds } from './get-domestic-vrp.ts';
export { periodStart } from './vrp-periods.ts';
export { vrpUsage } from './vrp-usage.ts';
export { migrateDomesticVrpConsent } from './migrate-domestic-vrp-consent.ts';
export { recordPaymentOrderOnAccount } from './record-payment-order-on-account.ts';
export { RECORD_ACCOUNT_ORDER_JOB, accountOrderRecording } from './account-order-job.ts';
export type { PaymentOrderOnAccount } from './record-payment-order-on-account.ts';
export type { VrpLimitUsage } from './vrp-usage.ts';
export { VrpErrors } from './vrp.errors.ts';
export type { DomesticStandingOrder, StandingOrderSchedule, StandingOrderStatus } from './standing-order-model.ts';
export { parseStandingOrderFrequency, nextStandingOrderDate } from './standing-order-frequency.ts';
export type { StandingOrderFrequency } from './standing-order-frequency.ts';
export { nextInstalmentAt, instalmentAmount } from './standing-order-plan.ts';
export {
  stageDomesticScheduledPaymentConsent,
  stageDomesticStandingOrderConsent,
  DOMESTIC_SCHEDULED_PAYMENT_CONSENTS_OPERATION,
  DOMESTIC_STANDING_ORDER_CONSENTS_OPERATION,
} from './stage-scheduled-payment-consents.ts';
export type { DomesticStandingOrderTerms, NewDomesticScheduledPaymentConsent, NewDomesticStandingOrderConsent, StagePaymentScheduleDeps } from './stage-scheduled-payment-consents.ts';
export { submitDomesticScheduledPayment, DOMESTIC_SCHEDULED_PAYMENTS_OPERATION } from './submit-domestic-scheduled-payment.ts';
export type { DomesticScheduledPaymentSubmission } from './submit-domestic-scheduled-payment.ts';
export { submitDomesticStandingOrder, DOMESTIC_STANDING_ORDERS_OPERATION } from './submit-domestic-standing-order.ts';
export type { DomesticStandingOrderSubmission, SubmittedDomesticStandingOrder } from './submit-domestic-standing-order.ts';
export type { SubmitUnderConsentDeps } from './submit-under-consent.ts';
export { getPaymentOfKindForClient } from './get-payment-of-kind.ts';
export { findDomesticStandingOrder, getDomesticStandingOrderForClient, listStandingOrderInstalments } from './get-domestic-standing-order.ts';
export type { StandingOrderInstalment } from './get-domestic-standing-order.ts';
export {
  executeStandingOrderInstalment,
  standingOrderInstalmentExecution,
  standingOrderInstalmentJob,
  EXECUTE_STANDING_ORDER_INSTALMENT_JOB,
} from './execute-standing-order-instalment.ts';
export type { StandingOrderInstalmentPayload } from './execute-standing-order-instalment.ts';
export { PaymentScheduleErrors } from './payment-schedule.errors.ts';
export type { InternationalPaymentTerms } from './international-payment-model.ts';
export { stageInternationalPaymentConsent, INTERNATIONAL_PAYMENT_CONSENTS_OPERATION } from './stage-international-payment-consent.ts';
export type { NewInternationalPaymentConsent, StageInternationalPaymentConsentDeps, StagedInternationalPaymentConsent } from './stage-international-payment-consent.ts';
export { submitInternationalPayment, INTERNATIONAL_PAYMENTS_OPERATION } from './submit-international-payment.ts';
export type { SubmitInternationalPaymentDeps, SubmittedInternationalPayment } from './submit-international-payment.ts';
export { getInternationalPaymentConsentForClient, confirmInternationalFunds } from './international-payment-consents.ts';
export type { InternationalPaymentConsentView } from './international-payment-consents.ts';
export { findExchangeRate } from './payment-exchange-rates.ts';
export { InternationalPaymentErrors } from './international-payment.errors.ts';
export type { InternationalStandingOrderTerms } from './international-payment-model.ts';
export {
  stageInternationalScheduledPaymentConsent,
  stageInternationalStandingOrderConsent,
  INTERNATIONAL_SCHEDULED_PAYMENT_CONSENTS_OPERATION,
  INTERNATIONAL_STANDING_ORDER_CONSENTS_OPERATION,
} from './stage-international-schedule-consents.ts';
export type { NewInternationalScheduledPaymentConsent, NewInternationalStandingOrderConsent } from './stage-international-schedule-consents.ts';
export { submitInternationalScheduledPayment, INTERNATIONAL_SCHEDULED_PAYMENTS_OPERATION } from './submit-international-scheduled-payment.ts';
export { submitInternationalStandingOrder, INTERNATIONAL_STANDING_ORDERS_OPERATION } from './submit-international-standing-order.ts';
export type { InternationalStandingOrderSubmission } from './submit-international-standing-order.ts';
export {
  executeInternationalScheduledPayment,
  internationalScheduledPaymentExecution,
  EXECUTE_INTERNATIONAL_SCHEDULED_PAYMENT_JOB,
} from './execute-international-scheduled-payment.ts';
export { exchangeRateOfPayment } from './payment-exchange-rates.ts';
export type { FilePayment, FilePaymentLimits, FilePaymentStatus, PaymentFileEntry, PaymentFileReader, PaymentFileTerms } from './file-payment-model.ts';
export { stageFilePaymentConsent, FILE_PAYMENT_CONSENTS_OPERATION } from './stage-file-payment-consent.ts';
export type { NewFilePaymentConsent, StageFilePaymentConsentDeps } from './stage-file-payment-consent.ts';
export { uploadPaymentFile, getPaymentFileForClient, PAYMENT_FILE_UPLOADS_OPERATION } from './upload-payment-file.ts';
export type { PaymentFileUpload, UploadPaymentFileDeps } from './upload-payment-file.ts';
export { submitFilePayment, FILE_PAYMENTS_OPERATION } from './submit-file-payment.ts';
export type { SubmitFilePaymentDeps, SubmittedFilePayment } from './submit-file-payment.ts';
export { findFilePayment, getFilePaymentForClient } from './get-file-payment.ts';
export { FilePaymentErrors } from './file-payment.errors.ts';
export { StandingOrderProgressedV2 } from './standing-order-events.ts';
export type { PaymentsTables } from './infra/payments.tables.ts';
