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
export { executeDomesticPayment, domesticPaymentExecution, EXECUTE_DOMESTIC_PAYMENT_JOB } from './execute-domestic-payment.ts';
export type { DomesticPaymentExecutionPayload } from './execute-domestic-payment.ts';
export { PAYMENT_STATUS_CHANGED_SUBJECT } from './payment-events.ts';
export type { PaymentStatusChangedEvent } from './payment-events.ts';
export { PaymentErrors } from './payments.errors.ts';
export type { PaymentKind } from './payment-model.ts';
export type { VrpControls, VrpControlTerms, VrpPeriodicLimit, VrpPeriodType, VrpPeriodAlignment } from './vrp-model.ts';
export { stageDomesticVrpConsent, vrpControlsOf, DOMESTIC_VRP_CONSENTS_OPERATION } from './stage-domestic-vrp-consent.ts';
export type { NewDomesticVrpConsent, StageDomesticVrpConsentDeps } from './stage-domestic-vrp-consent.ts';
export { submitDomesticVrp, DOMESTIC_VRPS_OPERATION } from './submit-domestic-vrp.ts';
export type { DomesticVrpSubmission, SubmitDomesticVrpDeps } from './submit-domestic-vrp.ts';
export { getDomesticVrpForClient, confirmVrpFunds } from './get-domestic-vrp.ts';
export { periodStart } from './vrp-periods.ts';
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
