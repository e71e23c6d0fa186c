import type { PersonalDataCipher } from '../../platform/keystore/index.ts';
import type { ExchangeRates, ExchangeRateTerms } from '../../core/fx/index.ts';
import type { CoreBanking } from '../../core/index.ts';
import { createUnitOfWork, type Db, type TxContext, type UnitOfWork } from '../../platform/db/index.ts';
import type { JobHandler } from '../../platform/scheduler/index.ts';
import type { Consent, ConsentsApi } from '../consents/index.ts';
import { createIdempotencyModule, type IdempotencyApi } from '../idempotency/index.ts';
import { cancelPaymentOrder, checkPaymentOrderCancellable, type CancelledPaymentOrder, type PaymentOrderCancellation } from './cancel-payment-order.ts';
import { CONFIRM_PAYMENT_SETTLEMENT_JOB, paymentSettlementConfirmation } from './confirm-payment-settlement.ts';
import { confirmVrpFunds } from './confirm-vrp-funds.ts';
import { coreAnswerCheck, domesticPaymentExecution, executeDomesticPayment } from './execute-domestic-payment.ts';
import { EXECUTE_INTERNATIONAL_SCHEDULED_PAYMENT_JOB, internationalScheduledPaymentExecution } from './execute-international-scheduled-payment.ts';
import { EXECUTE_STANDING_ORDER_INSTALMENT_JOB, standingOrderInstalmentExecution } from './execute-standing-order-instalment.ts';
import type { FilePayment, FilePaymentLimits } from './file-payment-model.ts';
import { getDomesticStandingOrderForClient } from './get-domestic-standing-order.ts';
import { findFilePayment, getFilePaymentForClient } from './get-file-payment.ts';
import { getPaymentOfKindForClient } from './get-payment-of-kind.ts';
import { consentsOfPayments } from './consents-of-payments.ts';
import { createKyselyPaymentFilesRepository } from './infra/kysely-payment-files-repository.ts';
import { kyselyPaymentOutbox } from './infra/kysely-payment-outbox.ts';
import { createKyselyPaymentsRepository } from './infra/kysely-payments-repository.ts';
import { createKyselyStandingOrdersRepository } from './infra/kysely-standing-orders-repository.ts';
import { confirmInternationalFunds, getInternationalPaymentConsentForClient, type InternationalPaymentConsentView } from './international-payment-consents.ts';
import { migrateDomesticVrpConsent } from './migrate-domestic-vrp-consent.ts';
import { confirmFundsForConsent, getPaymentConsentForClient, type DomesticPaymentConsentView, type FundsConfirmation, type PaymentConsentKind } from './payment-consents.ts';
import { exchangeRateOfPayment } from './payment-exchange-rates.ts';
import { payeeFingerprint } from './payee-fingerprint.ts';
import type { DomesticPayment, PaymentOrderType, PaymentReach } from './payment-model.ts';
import type { PaymentScheme } from './payment-scheme.port.ts';
import type { PaymentStores } from './payment-stores.ts';
import { businessCalendar, type BankHolidays } from './business-days.ts';
import { SandboxPaymentScheme } from './sandbox-payment-scheme.ts';
import { CORE_ANSWER_JOB, EXECUTE_DOMESTIC_PAYMENT_JOB } from './send-to-core-job.ts';
import { stageDomesticPaymentConsent, type NewDomesticPaymentConsent } from './stage-domestic-payment-consent.ts';
import { stageDomesticVrpConsent, type NewDomesticVrpConsent } from './stage-domestic-vrp-consent.ts';
import { stageFilePaymentConsent, type NewFilePaymentConsent } from './stage-file-payment-consent.ts';
import { stageInternationalPaymentConsent, type NewInternationalPaymentConsent, type StagedInternationalPaymentConsent } from './stage-international-payment-consent.ts';
import {
  stageInternationalScheduledPaymentConsent,
  stageInternationalStandingOrderConsent,
  type NewInternationalScheduledPaymentConsent,
  type NewInternationalStandingOrderConsent,
} from './stage-international-schedule-consents.ts';
import { stageDomesticScheduledPaymentConsent, stageDomesticStandingOrderConsent, type NewDomesticScheduledPaymentConsent, type NewDomesticStandingOrderConsent } from './stage-scheduled-payment-consents.ts';
import type { DomesticStandingOrder } from './standing-order-model.ts';
import type { StandingOrderInstalment } from './standing-orders.repository.port.ts';
import { submitDomesticPayment, type DomesticPaymentSubmission, type SubmittedDomesticPayment } from './submit-domestic-payment.ts';
import { submitDomesticScheduledPayment, type DomesticScheduledPaymentSubmission } from './submit-domestic-scheduled-payment.ts';
import { submitDomesticStandingOrder, type DomesticStandingOrderSubmission } from './submit-domestic-standing-order.ts';
import { submitDomesticVrp, type DomesticVrpSubmission } from './submit-domestic-vrp.ts';
import { submitFilePayment, type SubmittedFilePayment } from './submit-file-payment.ts';
import { submitInternationalPayment, type SubmittedInternationalPayment } from './submit-international-payment.ts';
import { submitInternationalScheduledPayment } from './submit-international-scheduled-payment.ts';
import { submitInternationalStandingOrder, type InternationalStandingOrderSubmission } from './submit-international-standing-order.ts';
import type { SubmittedDomesticStandingOrder } from './submit-standing-order.ts';
import { getPaymentFileForClient, uploadPaymentFile, type PaymentFileUpload } from './upload-payment-file.ts';
import { vrpUsage, type VrpLimitUsage } from './vrp-usage.ts';

/** Payment consents staged by PISPs, the payment orders submitted under them, and their execution. */
export interface PaymentsApi {
  stageDomesticPaymentConsent(input: NewDomesticPaymentConsent, now?: Date): Promise<Consent>;
  stageDomesticScheduledPaymentConsent(input: NewDomesticScheduledPaymentConsent, now?: Date): Promise<Consent>;
  stageDomesticStandingOrderConsent(input: NewDomesticStandingOrderConsent, now?: Date): Promise<Consent>;
  stageDomesticVrpConsent(input: NewDomesticVrpConsent, now?: Date): Promise<Consent>;
  stageInternationalPaymentConsent(input: NewInternationalPaymentConsent, now?: Date): Promise<StagedInternationalPaymentConsent>;
  stageInternationalScheduledPaymentConsent(input: NewInternationalScheduledPaymentConsent, now?: Date): Promise<StagedInternationalPaymentConsent>;
  stageInternationalStandingOrderConsent(input: NewInternationalStandingOrderConsent, now?: Date): Promise<Consent>;
  stageFilePaymentConsent(input: NewFilePaymentConsent, now?: Date): Promise<Consent>;
  uploadPaymentFile(upload: PaymentFileUpload, now?: Date): Promise<Consent>;
  /** A payment consent of `kind` as its TPP sees it, with the debtor once known. */
  getPaymentConsent(id: string, clientId: string, kind: PaymentConsentKind, now?: Date): Promise<DomesticPaymentConsentView>;
  /** An international (or international scheduled) payment consent as its TPP sees it, with its rate. */
  getInternationalPaymentConsent(id: string, clientId: string, kind: 'international-payment' | 'international-scheduled-payment', now?: Date): Promise<InternationalPaymentConsentView>;
  getPaymentFile(consentId: string, clientId: string, now?: Date): Promise<{ content: Buffer; contentType: string }>;
  confirmFunds(consent: Consent, now?: Date): Promise<FundsConfirmation>;
  confirmInternationalFunds(consent: Consent, now?: Date): Promise<FundsConfirmation>;
  confirmVrpFunds(consent: Consent, amount: { readonly decimal: string; readonly currency: string }, now?: Date): Promise<FundsConfirmation>;
  /** OB VRP `PUT`/`PATCH` of a VRP consent: refused (one version is served), or not found. */
  migrateDomesticVrpConsent(consentId: string, clientId: string, now?: Date): Promise<never>;
  /** OB VRP `DELETE` of a VRP consent by its TPP. */
  deleteDomesticVrpConsent(consentId: string, clientId: string, now?: Date): Promise<void>;
  submitDomesticPayment(submission: DomesticPaymentSubmission, now?: Date): Promise<SubmittedDomesticPayment>;
  submitDomesticScheduledPayment(submission: DomesticScheduledPaymentSubmission, now?: Date): Promise<SubmittedDomesticPayment>;
  submitDomesticStandingOrder(submission: DomesticStandingOrderSubmission, now?: Date): Promise<SubmittedDomesticStandingOrder>;
  submitDomesticVrp(submission: DomesticVrpSubmission, now?: Date): Promise<SubmittedDomesticPayment>;
  submitInternationalPayment(submission: DomesticPaymentSubmission, now?: Date): Promise<SubmittedInternationalPayment>;
  submitInternationalScheduledPayment(submission: DomesticScheduledPaymentSubmission, now?: Date): Promise<SubmittedInternationalPayment>;
  submitInternationalStandingOrder(submission: InternationalStandingOrderSubmission, now?: Date): Promise<SubmittedDomesticStandingOrder>;
  submitFilePayment(submission: Omit<DomesticPaymentSubmission, 'shareRefundAccount'>, now?: Date): Promise<SubmittedFilePayment>;
  /** A payment of one kind and reach as its TPP sees it: unknown, another kind, another TPP's are the same NOT_FOUND. */
  getPayment(id: string, type: PaymentOrderType, clientId: string): Promise<DomesticPayment>;
  /** The file payment submitted under the TPP's consent, if it was submitted yet. */
  findFilePaymentOfConsent(consentId: string, clientId: string): Promise<FilePayment | undefined>;
  /** The standing order set up under the TPP's consent, if it was set up yet. */
  findStandingOrderOfConsent(consentId: string, clientId: string): Promise<DomesticStandingOrder | undefined>;
  /** The payment made under the TPP's consent, if one was made yet (one-step initiation: the consent is the TPP's handle on it). */
  findPaymentOfConsent(consentId: string, clientId: string): Promise<DomesticPayment | undefined>;
  getStandingOrder(id: string, clientId: string, reach: PaymentReach): Promise<DomesticStandingOrder>;
  listStandingOrderInstalments(standingOrderId: string): Promise<StandingOrderInstalment[]>;
  getFilePayment(id: string, clientId: string): Promise<FilePayment>;
  /** The file payment each of these payments belongs to, for those that belong to one (notifications name the file payment). */
  filePaymentsOf(paymentIds: readonly string[]): Promise<Map<string, string>>;
  /** The exchange-rate terms kept for a consent (agreed) or a payment (applied), if any. */
  findExchangeRate(ownerId: string): Promise<ExchangeRateTerms | undefined>;
  /** The rate a payment applied, else (not yet executed) its consent's. */
  exchangeRateOfPayment(payment: { readonly id: string; readonly consentId: string }): Promise<ExchangeRateTerms | undefined>;
  /** How much of each periodic limit of a VRP consent the current period has used (the PSU's dashboard). */
  vrpUsage(consent: Consent, now?: Date): Promise<VrpLimitUsage[]>;
  /**
   * Whether the payment order made under the TPP's consent can still be stopped (a scheduled
   * payment not yet handed to the core, a standing order with instalments to come): answers it,
   * else NOT_CANCELLABLE. Changes nothing.
   */
  checkPaymentOrderCancellable(request: PaymentOrderCancellation): Promise<CancelledPaymentOrder>;
  /**
   * Stops that order in the caller's transaction (the payer's confirmation commits with it), atomically
   * with respect to its execution: of the two, exactly one wins (NOT_CANCELLABLE when execution did).
   */
  cancelPaymentOrder(tx: TxContext, request: PaymentOrderCancellation, now?: Date): Promise<CancelledPaymentOrder>;
  /** Runs a payment's execution saga now (what its job does); undefined when there is no such payment. */
  executePayment(paymentId: string, now?: Date): Promise<DomesticPayment | undefined>;
  /** The handlers of payments' durable jobs, by job kind, for the scheduler. */
  readonly jobs: Readonly<Record<string, JobHandler<never>>>;
}

export interface PaymentsModuleDeps {
  readonly db: Db;
  /** Encrypts the debtor and creditor names and identifications at rest. */
  readonly cipher: PersonalDataCipher;
  /** The consents module: payments stage, consume and hold their consents through it. */
  readonly consents: ConsentsApi;
  readonly core: CoreBanking;
  /** The scheme payments leaving the bank are settled through (default: the sandbox's, settling at once). */
  readonly scheme?: PaymentScheme | undefined;
  /** The bank's exchange rates; without them international payments are not made. */
  readonly rates?: ExchangeRates | undefined;
  /** The limits on payment files; without them file payments are not made. */
  readonly filePayments?: FilePaymentLimits | undefined;
  /** Told after a new payment commits, to execute it without waiting for the scheduler's next poll. */
  readonly onSubmitted?: ((resourceId: string) => void) | undefined;
  /** Told of each group of payments executed together, with its size (metrics). */
  readonly onExecutedTogether?: ((size: number) => void) | undefined;
  /**
   * Told of a payment given up on its execution's last attempt (the core never answered): it is
   * rejected (AB07) for the TPP to see; the operator must be alerted, and reconcile with the core.
   */
  readonly onExecutionAbandoned?: ((payment: DomesticPayment, cause: unknown) => void) | undefined;
  /** The idempotency module submissions claim their keys with; one over `db` when not given. */
  readonly idempotency?: IdempotencyApi | undefined;
  /** The unit of work payments' own transactions run in; one over `db` when not given. */
  readonly uow?: UnitOfWork | undefined;
  /**
   * The bank's key for payee fingerprints (a data key of its own, never rotated: a new key would
   * make every payee look new to anomaly detection); without it payment events name no payee.
   */
  readonly payeeKey?: Uint8Array | undefined;
  /** The bank's days off besides weekends, that standing orders with a business-day rule pay around; none when not given. */
  readonly holidays?: BankHolidays | undefined;
}

/** The payments module over its stores (tests may give their own). */
export function paymentsApiOver(stores: PaymentStores, deps: Omit<PaymentsModuleDeps, 'db' | 'consents' | 'idempotency' | 'uow'>): PaymentsApi {
  const { core, rates, filePayments: limits, onSubmitted, onExecutedTogether, onExecutionAbandoned } = deps;
  const scheme = deps.scheme ?? new SandboxPaymentScheme();
  const execution = { ...stores, core, scheme };
  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the payments module was built without ${what}`);
    return value;
  };
  const withRates = () => ({ ...stores, core, rates: required(rates, 'exchange rates') });
  const withLimits = () => ({ ...stores, core, limits: required(limits, 'payment file limits') });
  const jobs: Record<string, JobHandler<never>> = {
    [EXECUTE_DOMESTIC_PAYMENT_JOB]: domesticPaymentExecution(execution, onExecutedTogether, onExecutionAbandoned),
    [CORE_ANSWER_JOB]: coreAnswerCheck(execution),
    [CONFIRM_PAYMENT_SETTLEMENT_JOB]: paymentSettlementConfirmation(stores, scheme),
    // An international order's instalments convert on the rates; a domestic one's need none.
    [EXECUTE_STANDING_ORDER_INSTALMENT_JOB]: standingOrderInstalmentExecution(stores, rates),
    ...(rates ? { [EXECUTE_INTERNATIONAL_SCHEDULED_PAYMENT_JOB]: internationalScheduledPaymentExecution(stores, rates) } : {}),
  };
  return {
    stageDomesticPaymentConsent: (input, now) => stageDomesticPaymentConsent({ ...stores, core }, input, now),
    stageDomesticScheduledPaymentConsent: (input, now) => stageDomesticScheduledPaymentConsent({ ...stores, core }, input, now),
    stageDomesticStandingOrderConsent: (input, now) => stageDomesticStandingOrderConsent({ ...stores, core }, input, now),
    stageDomesticVrpConsent: (input, now) => stageDomesticVrpConsent({ ...stores, core }, input, now),
    stageInternationalPaymentConsent: (input, now) => stageInternationalPaymentConsent(withRates(), input, now),
    stageInternationalScheduledPaymentConsent: (input, now) => stageInternationalScheduledPaymentConsent(withRates(), input, now),
    stageInternationalStandingOrderConsent: (input, now) => stageInternationalStandingOrderConsent({ ...stores, core }, input, now),
    stageFilePaymentConsent: (input, now) => stageFilePaymentConsent(withLimits(), input, now),
    uploadPaymentFile: (upload, now) => uploadPaymentFile(withLimits(), upload, now),
    getPaymentConsent: (id, clientId, kind, now) => getPaymentConsentForClient(stores.consents, core, id, clientId, kind, now),
    getInternationalPaymentConsent: (id, clientId, kind, now) => getInternationalPaymentConsentForClient(stores, core, id, clientId, now, kind),
    getPaymentFile: (consentId, clientId, now) => getPaymentFileForClient(stores, consentId, clientId, now),
    confirmFunds: (consent, now) => confirmFundsForConsent(core, consent, now),
    confirmInternationalFunds: (consent, now) => confirmInternationalFunds(withRates(), consent, now),
    confirmVrpFunds: (consent, amount, now) => confirmVrpFunds(core, consent, amount, now),
    migrateDomesticVrpConsent: (consentId, clientId, now = new Date()) => migrateDomesticVrpConsent(stores.consents, consentId, clientId, now),
    deleteDomesticVrpConsent: (consentId, clientId, now = new Date()) => stores.consents.revokeOfClient(consentId, clientId, 'domestic-vrp', now),
    submitDomesticPayment: (submission, now) => submitDomesticPayment({ ...stores, core, onSubmitted }, submission, now),
    submitDomesticScheduledPayment: (submission, now) => submitDomesticScheduledPayment({ ...stores, core }, submission, now),
    submitDomesticStandingOrder: (submission, now) => submitDomesticStandingOrder({ ...stores, core }, submission, now),
    submitDomesticVrp: (submission, now) => submitDomesticVrp({ ...stores, core, onSubmitted }, submission, now),
    submitInternationalPayment: (submission, now) => submitInternationalPayment({ ...withRates(), onSubmitted }, submission, now),
    submitInternationalScheduledPayment: (submission, now) => submitInternationalScheduledPayment(withRates(), submission, now),
    submitInternationalStandingOrder: (submission, now) => submitInternationalStandingOrder({ ...stores, core }, submission, now),
    submitFilePayment: (submission, now) => submitFilePayment({ ...stores, core, onSubmitted }, submission, now),
    getPayment: (id, type, clientId) => getPaymentOfKindForClient(stores.payments, id, type, clientId),
    findFilePaymentOfConsent: async (consentId, clientId) => {
      const id = await stores.files.filePaymentIdOfConsent(consentId);
      const filePayment = id === undefined ? undefined : await findFilePayment(stores.files, id);
      return filePayment?.clientId === clientId ? filePayment : undefined;
    },
    findStandingOrderOfConsent: async (consentId, clientId) => {
      const order = await stores.standingOrders.findOfConsent(consentId);
      return order?.clientId === clientId ? order : undefined;
    },
    findPaymentOfConsent: async (consentId, clientId) => {
      const payment = await stores.payments.findOfConsent(consentId);
      return payment?.clientId === clientId ? payment : undefined;
    },
    getStandingOrder: (id, clientId, reach) => getDomesticStandingOrderForClient(stores.standingOrders, id, clientId, reach),
    listStandingOrderInstalments: (standingOrderId) => stores.standingOrders.listInstalments(standingOrderId),
    getFilePayment: (id, clientId) => getFilePaymentForClient(stores.files, id, clientId),
    filePaymentsOf: (paymentIds) => stores.files.filePaymentsOf(paymentIds),
    findExchangeRate: (ownerId) => stores.payments.findExchangeRate(ownerId),
    exchangeRateOfPayment: (payment) => exchangeRateOfPayment(stores.payments, payment),
    vrpUsage: (consent, now) => vrpUsage(stores.payments, consent, now),
    checkPaymentOrderCancellable: (request) => checkPaymentOrderCancellable(stores, request),
    cancelPaymentOrder: (tx, request, now) => cancelPaymentOrder(stores, tx, request, now),
    executePayment: (paymentId, now) => executeDomesticPayment(execution, paymentId, now),
    jobs,
  };
}

/** The stores of the payments module on the platform database. */
export function paymentStoresOf(deps: Pick<PaymentsModuleDeps, 'db' | 'cipher' | 'consents' | 'idempotency' | 'uow' | 'payeeKey' | 'holidays'>): PaymentStores {
  const { db, cipher, payeeKey } = deps;
  return {
    uow: deps.uow ?? createUnitOfWork(db),
    payments: createKyselyPaymentsRepository(db, cipher),
    standingOrders: createKyselyStandingOrdersRepository(db, cipher),
    files: createKyselyPaymentFilesRepository(db, cipher),
    outbox: kyselyPaymentOutbox,
    consents: consentsOfPayments(deps.consents),
    idempotency: deps.idempotency ?? createIdempotencyModule({ db }),
    fingerprintPayee: payeeKey ? (creditor) => payeeFingerprint(payeeKey, creditor) : undefined,
    businessDays: deps.holidays ? businessCalendar(deps.holidays) : undefined,
  };
}

/** The payments module on the platform database. */
export function createPaymentsModule(deps: PaymentsModuleDeps): PaymentsApi {
  return paymentsApiOver(paymentStoresOf(deps), deps);
}
