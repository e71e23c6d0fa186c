import { z } from 'zod';
import type {
  Account,
  AccountOrderChange,
  AccountOverview,
  AccountTransaction,
  Balances,
  Beneficiary,
  CorePaymentStatus,
  DirectDebit,
  Party,
  PaymentSubmission,
  Product,
  ScheduledPayment,
  StandingOrder,
  Statement,
  SubmissionAnswer,
  TransactionPage,
  TransactionQuery,
} from '../ports/index.ts';

/*
 * The JSON form of the core-banking ports on the core gateway (docs/core-gateway.openapi.yaml):
 * amounts in minor units as decimal strings, times as RFC 3339. Decoders check what arrives and
 * turn it back into the ports' types; `toWireJson` is the one encoder, for both sides.
 */

/** JSON of a ports value: bigint as a decimal string, Date as RFC 3339 (its `toJSON`), undefined left out. */
export const toWireJson = (value: unknown): string => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

const id = z.string().min(1).max(64);
const minor = z.string().regex(/^-?\d{1,19}$/).transform((text) => BigInt(text));
const time = z.iso.datetime({ offset: true }).transform((text) => new Date(text));
const currency = z.string().regex(/^[A-Z]{3}$/);
const money = z.strictObject({ amountMinor: minor, currency });
/** An optional field: JSON has no undefined, so absent stays absent. */
const optional = <T extends z.ZodType>(schema: T) => schema.optional();

export const partyWire = z.strictObject({
  id,
  partyNumber: z.string(),
  kind: z.enum(['Person', 'Organisation']),
  name: z.string(),
  fullLegalName: z.string(),
  legalStructure: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  mobile: z.string().nullable(),
  address: z.strictObject({ addressLine: z.array(z.string()), townName: z.string(), postCode: z.string(), country: z.string() }).nullable(),
}) satisfies z.ZodType<Party>;

export const accountWire = z.strictObject({
  id,
  holderKind: z.enum(['Personal', 'Business', 'Internal']),
  subType: z.string(),
  currency,
  name: z.string(),
  nickname: z.string().nullable(),
  sortCode: z.string().nullable(),
  accountNumber: z.string().nullable(),
  iban: z.string().nullable(),
  bic: z.string().nullable(),
  status: z.enum(['Enabled', 'Disabled', 'Deleted', 'Pending']),
  openedAt: time,
  productId: z.string().nullable(),
  card: optional(z.strictObject({ maskedPan: z.string().min(1).max(35), creditLimitMinor: minor })),
}) satisfies z.ZodType<Account>;

export const accountListWire = z.strictObject({ accounts: z.array(accountWire) });

const holderWire = z.strictObject({ party: partyWire, role: z.enum(['Owner', 'Joint', 'Delegate']) });
export const holderListWire = z.strictObject({ holders: z.array(holderWire) });

export const balancesWire = z.strictObject({
  accountId: id,
  currency,
  bookedMinor: minor,
  availableMinor: minor,
  pendingMinor: minor,
  overdraftLimitMinor: minor,
  asOf: time,
}) satisfies z.ZodType<Balances>;

export const accountIdsWire = z.strictObject({ accountIds: z.array(id).max(1000) });

export const accountOverviewListWire = z.strictObject({
  overviews: z.array(z.strictObject({ account: accountWire, holders: z.array(holderWire), balances: balancesWire }) satisfies z.ZodType<AccountOverview>),
});

export const transactionQueryWire = z.strictObject({
  accountIds: z.array(id).max(1000),
  from: optional(time),
  to: optional(time),
  status: optional(z.enum(['Booked', 'Pending'])),
  creditDebit: optional(z.enum(['Credit', 'Debit'])),
  order: optional(z.enum(['newest-first', 'oldest-first'])),
  cursor: optional(z.string().max(512)),
  limit: z.number().int().min(1).max(1000),
}) satisfies z.ZodType<TransactionQuery & { accountIds: string[] }>;

export const transactionWire = z.strictObject({
  id,
  accountId: id,
  status: z.enum(['Booked', 'Pending', 'Rejected']),
  creditDebit: z.enum(['Credit', 'Debit']),
  amount: money,
  bookingAt: time,
  valueAt: time,
  balanceAfterMinor: minor.nullable(),
  description: z.string(),
  reference: optional(z.string()),
  bankTransactionCode: z.string(),
  bankTransactionSubcode: z.string(),
  merchantName: optional(z.string()),
  merchantCategoryCode: optional(z.string()),
  counterpartyName: optional(z.string()),
  counterpartyScheme: optional(z.string()),
  counterpartyIdentification: optional(z.string()),
  cardMaskedPan: optional(z.string()),
  transactedAt: optional(time),
  originalAmount: optional(money),
  exchangeRate: optional(z.string().regex(/^\d{1,18}(\.\d{1,18})?$/)),
  cardAcceptorId: optional(z.string()),
}) satisfies z.ZodType<AccountTransaction>;

export const transactionPageWire = z.strictObject({
  items: z.array(transactionWire),
  total: z.number().int().min(0),
  index: z.number().int().min(0),
  cursors: z.strictObject({ first: z.string(), previous: optional(z.string()), next: optional(z.string()), last: z.string() }),
  firstBookingAt: optional(time),
  lastBookingAt: optional(time),
})
  // The ports name both ends of the listing even when it is empty.
  .transform((page) => ({ ...page, firstBookingAt: page.firstBookingAt, lastBookingAt: page.lastBookingAt })) satisfies z.ZodType<TransactionPage>;

const payee = { creditorName: z.string(), creditorScheme: z.string(), creditorIdentification: z.string() };

export const beneficiaryListWire = z.strictObject({
  beneficiaries: z.array(z.strictObject({ ...payee, id, accountId: id, type: z.enum(['Trusted', 'Ordinary']), reference: z.string().nullable() }) satisfies z.ZodType<Beneficiary>),
});

export const directDebitListWire = z.strictObject({
  directDebits: z.array(
    z.strictObject({
      id,
      accountId: id,
      mandateIdentification: z.string(),
      originatorName: z.string(),
      status: z.enum(['Active', 'Inactive']),
      frequency: z.string(),
      previousPaymentAt: time.nullable(),
      previousPayment: money.nullable(),
    }) satisfies z.ZodType<DirectDebit>,
  ),
});

const standingOrderWire = z.strictObject({
  ...payee,
  id,
  accountId: id,
  frequency: z.string(),
  reference: z.string().nullable(),
  firstPaymentAt: time,
  nextPaymentAt: time.nullable(),
  lastPaymentAt: time.nullable(),
  finalPaymentAt: time.nullable(),
  amount: money,
  status: z.enum(['Active', 'Inactive']),
  firstAmount: optional(money),
  nextAmount: optional(money),
  lastAmount: optional(money),
  finalAmount: optional(money),
}) satisfies z.ZodType<StandingOrder>;
export const standingOrderListWire = z.strictObject({ standingOrders: z.array(standingOrderWire) });

const scheduledPaymentWire = z.strictObject({
  ...payee,
  id,
  accountId: id,
  scheduledAt: time,
  scheduledType: z.enum(['Arrival', 'Execution']),
  reference: z.string().nullable(),
  amount: money,
}) satisfies z.ZodType<ScheduledPayment>;
export const scheduledPaymentListWire = z.strictObject({ scheduledPayments: z.array(scheduledPaymentWire) });

export const statementWire = z.strictObject({
  id,
  accountId: id,
  type: z.literal('RegularPeriodic'),
  startAt: time,
  endAt: time,
  createdAt: time,
  currency,
  openingBalanceMinor: minor,
  closingBalanceMinor: minor,
  totalCreditsMinor: minor,
  totalDebitsMinor: minor,
  creditCount: z.number().int().min(0),
  debitCount: z.number().int().min(0),
}) satisfies z.ZodType<Statement>;
export const statementListWire = z.strictObject({ statements: z.array(statementWire) });

export const productWire = z.strictObject({
  id,
  name: z.string(),
  type: z.enum(['PersonalCurrentAccount', 'BusinessCurrentAccount', 'Savings']),
  currency,
  details: z.record(z.string(), z.unknown()),
}) satisfies z.ZodType<Product>;

export const accountOrderChangeWire = z.union([
  z.strictObject({ standingOrder: standingOrderWire }),
  z.strictObject({ scheduledPayment: scheduledPaymentWire }),
  z.strictObject({ scheduledPaymentDone: z.strictObject({ id, accountId: id, status: z.enum(['Executed', 'Cancelled']) }) }),
]) satisfies z.ZodType<AccountOrderChange>;

export const fundsCheckWire = z.strictObject({ accountId: id, amount: money });
export const fundsAnswerWire = z.strictObject({ sufficient: z.boolean() });

const paymentParty = { name: optional(z.string().max(140)), scheme: optional(z.string().max(64)), identification: optional(z.string().max(256)) };
export const paymentSubmissionWire = z.strictObject({
  externalRef: z.string().min(1).max(128),
  kind: z.string().min(1).max(64),
  debtor: z.strictObject({ ...paymentParty, accountId: id }),
  creditor: z.strictObject({ ...paymentParty, accountId: optional(id) }),
  amount: money,
  reference: optional(z.string().max(140)),
  requestedAt: time,
}) satisfies z.ZodType<PaymentSubmission>;

const rejectionReason = z.enum(['insufficient-funds', 'account-not-enabled', 'currency-mismatch', 'same-account', 'account-not-found']);
export const corePaymentStatusWire = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('pending'), coreRef: z.string() }),
  z.strictObject({ status: z.literal('booked'), coreRef: z.string(), bookedAt: time }),
  z.strictObject({ status: z.literal('rejected'), coreRef: z.string(), reason: rejectionReason }),
]) satisfies z.ZodType<CorePaymentStatus>;

export const submissionAnswerWire = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('accepted'), coreRef: z.string(), status: corePaymentStatusWire }),
  z.strictObject({ outcome: z.literal('rejected'), reason: rejectionReason }),
]) satisfies z.ZodType<SubmissionAnswer>;

/** One entry of the change feed: a core event (core-events.port.ts) with its id and time. */
export const changeWire = z.strictObject({
  id: z.string().min(1).max(128),
  type: z.enum(['Posted', 'PaymentStatusChanged', 'OrdersChanged', 'AccountChanged']),
  version: z.literal(1),
  occurredAt: z.iso.datetime({ offset: true }),
  payload: z.looseObject({ accountIds: z.array(id).min(1) }),
});
export type CoreChange = z.infer<typeof changeWire>;
export const changePageWire = z.strictObject({ changes: z.array(changeWire), cursor: z.string() });

/** The `code` of a refusal (`application/problem+json`) on the gateway. */
export type CoreGatewayProblemCode = 'NOT_FOUND' | 'CURSOR_UNKNOWN' | 'INVALID_REQUEST' | 'IDEMPOTENCY_KEY_MISMATCH' | 'UNAVAILABLE' | 'INTERNAL';
