import type { NewRow, Row } from '../../../platform/db/index.ts';
import type {
  Account,
  AccountTransaction,
  Balances,
  Beneficiary,
  HolderRole,
  DirectDebit,
  Party,
  Payee,
  Product,
  ScheduledPayment,
  StandingOrder,
  Statement,
} from '../../ports/index.ts';

const opt = (value: string | null): string | undefined => value ?? undefined;

type PayeeColumns = Pick<Row<'bank_beneficiaries'>, 'creditor_name' | 'creditor_scheme' | 'creditor_identification'>;

const toPayee = (r: PayeeColumns): Payee => ({
  creditorName: r.creditor_name,
  creditorScheme: r.creditor_scheme,
  creditorIdentification: r.creditor_identification,
});

/** The columns of a beneficiary, standing order or scheduled payment that hold its payee. */
const payeeColumns = (p: Payee): PayeeColumns => ({
  creditor_name: p.creditorName,
  creditor_scheme: p.creditorScheme,
  creditor_identification: p.creditorIdentification,
});

/** The columns of a standing order of the core besides its id and account (the inverse of `toStandingOrder`). */
export const standingOrderColumns = (o: StandingOrder): Omit<NewRow<'bank_standing_orders'>, 'id' | 'account_id'> => ({
  frequency: o.frequency,
  reference: o.reference,
  first_payment_at: o.firstPaymentAt,
  next_payment_at: o.nextPaymentAt,
  last_payment_at: o.lastPaymentAt,
  final_payment_at: o.finalPaymentAt,
  amount_minor: o.amount.amountMinor,
  currency: o.amount.currency,
  ...payeeColumns(o),
  status: o.status,
  first_amount_minor: o.firstAmount?.amountMinor ?? null,
  next_amount_minor: o.nextAmount?.amountMinor ?? null,
  last_amount_minor: o.lastAmount?.amountMinor ?? null,
  final_amount_minor: o.finalAmount?.amountMinor ?? null,
});

/** The columns of a scheduled payment of the core besides its id and account; it is `Scheduled` until it runs. */
export const scheduledPaymentColumns = (p: ScheduledPayment): Omit<NewRow<'bank_scheduled_payments'>, 'id' | 'account_id'> => ({
  scheduled_at: p.scheduledAt,
  scheduled_type: p.scheduledType,
  reference: p.reference,
  amount_minor: p.amount.amountMinor,
  currency: p.amount.currency,
  ...payeeColumns(p),
  status: 'Scheduled',
});

export const toParty = (r: Row<'bank_parties'>): Party => ({
  id: r.id,
  partyNumber: r.party_number,
  kind: r.party_kind,
  name: r.name,
  fullLegalName: r.full_legal_name,
  legalStructure: r.legal_structure,
  email: r.email,
  phone: r.phone,
  mobile: r.mobile,
  address: r.address as Party['address'],
});

/** A holder of an account: the party's row with its role. */
export const toHolder = ({ role, ...party }: Row<'bank_parties'> & { role: HolderRole }): { party: Party; role: HolderRole } => ({ party: toParty(party), role });

/** An account row's balances, as they are now. */
export const toBalances = (r: Pick<Row<'bank_accounts'>, 'id' | 'currency' | 'balance_minor' | 'pending_minor' | 'overdraft_limit_minor'>): Balances => ({
  accountId: r.id,
  currency: r.currency,
  bookedMinor: r.balance_minor,
  pendingMinor: r.pending_minor,
  availableMinor: r.balance_minor + r.pending_minor,
  overdraftLimitMinor: r.overdraft_limit_minor,
  asOf: new Date(),
});

export const toAccount = (r: Row<'bank_accounts'>): Account => ({
  id: r.id,
  holderKind: r.holder_kind,
  subType: r.sub_type,
  currency: r.currency,
  name: r.name,
  nickname: r.nickname,
  sortCode: r.sort_code,
  accountNumber: r.account_number,
  iban: r.iban,
  bic: r.bic,
  status: r.status,
  openedAt: r.opened_at,
  productId: r.product_id,
  ...(r.card_masked_pan !== null ? { card: { maskedPan: r.card_masked_pan, creditLimitMinor: r.overdraft_limit_minor } } : {}),
});

export const toTransaction = (r: Row<'bank_transactions'>): AccountTransaction => ({
  id: r.id,
  accountId: r.account_id,
  status: r.status,
  creditDebit: r.credit_debit,
  amount: { amountMinor: r.amount_minor, currency: r.currency },
  bookingAt: r.booking_at,
  valueAt: r.value_at,
  balanceAfterMinor: r.balance_after_minor,
  description: r.description,
  reference: opt(r.reference),
  bankTransactionCode: r.bank_transaction_code,
  bankTransactionSubcode: r.bank_transaction_subcode,
  merchantName: opt(r.merchant_name),
  merchantCategoryCode: opt(r.merchant_category_code),
  counterpartyName: opt(r.counterparty_name),
  counterpartyScheme: opt(r.counterparty_scheme),
  counterpartyIdentification: opt(r.counterparty_identification),
  cardMaskedPan: opt(r.card_masked_pan),
  ...(r.transacted_at !== null ? { transactedAt: r.transacted_at } : {}),
  ...(r.original_amount_minor !== null && r.original_currency !== null ? { originalAmount: { amountMinor: BigInt(r.original_amount_minor), currency: r.original_currency } } : {}),
  ...(r.exchange_rate !== null ? { exchangeRate: r.exchange_rate } : {}),
  ...(r.card_acceptor_id !== null ? { cardAcceptorId: r.card_acceptor_id } : {}),
});

export const toBeneficiary = (r: Row<'bank_beneficiaries'>): Beneficiary => ({
  id: r.id,
  accountId: r.account_id,
  type: r.beneficiary_type,
  reference: r.reference,
  ...toPayee(r),
});

export const toStandingOrder = (r: Row<'bank_standing_orders'>): StandingOrder => ({
  id: r.id,
  accountId: r.account_id,
  frequency: r.frequency,
  reference: r.reference,
  firstPaymentAt: r.first_payment_at,
  nextPaymentAt: r.next_payment_at,
  lastPaymentAt: r.last_payment_at,
  finalPaymentAt: r.final_payment_at,
  amount: { amountMinor: r.amount_minor, currency: r.currency },
  ...toPayee(r),
  status: r.status,
  ...(r.first_amount_minor !== null ? { firstAmount: { amountMinor: BigInt(r.first_amount_minor), currency: r.currency } } : {}),
  ...(r.next_amount_minor !== null ? { nextAmount: { amountMinor: BigInt(r.next_amount_minor), currency: r.currency } } : {}),
  ...(r.last_amount_minor !== null ? { lastAmount: { amountMinor: BigInt(r.last_amount_minor), currency: r.currency } } : {}),
  ...(r.final_amount_minor !== null ? { finalAmount: { amountMinor: BigInt(r.final_amount_minor), currency: r.currency } } : {}),
});

export const toDirectDebit = (r: Row<'bank_direct_debits'>): DirectDebit => ({
  id: r.id,
  accountId: r.account_id,
  mandateIdentification: r.mandate_identification,
  originatorName: r.originator_name,
  status: r.status,
  frequency: r.frequency,
  previousPaymentAt: r.previous_payment_at,
  previousPayment: r.previous_payment_minor === null ? null : { amountMinor: r.previous_payment_minor, currency: r.currency },
});

export const toScheduledPayment = (r: Row<'bank_scheduled_payments'>): ScheduledPayment => ({
  id: r.id,
  accountId: r.account_id,
  scheduledAt: r.scheduled_at,
  scheduledType: r.scheduled_type,
  reference: r.reference,
  amount: { amountMinor: r.amount_minor, currency: r.currency },
  ...toPayee(r),
});

export const toStatement = (r: Row<'bank_statements'>): Statement => ({
  id: r.id,
  accountId: r.account_id,
  type: r.statement_type,
  startAt: r.start_at,
  endAt: r.end_at,
  createdAt: r.created_at,
  currency: r.currency,
  openingBalanceMinor: r.opening_balance_minor,
  closingBalanceMinor: r.closing_balance_minor,
  totalCreditsMinor: r.total_credits_minor,
  totalDebitsMinor: r.total_debits_minor,
  creditCount: r.credit_count,
  debitCount: r.debit_count,
});

export const toProduct = (r: Row<'bank_products'>): Product => ({
  id: r.id,
  name: r.name,
  type: r.product_type,
  currency: r.currency,
  details: r.details as Record<string, unknown>,
});
