import { INTERNAL_ACCOUNT_NAMES, INTERNAL_ACCOUNT_PURPOSES, internalAccountId } from '../../core/adapters/ledger/index.ts';
import type { NewRow } from '../../platform/db/index.ts';
import { buildArrangements, type Arrangements } from './build-arrangements.ts';
import { buildStatements } from './build-statements.ts';
import { addMonths } from './calendar.ts';
import { combineLedgers, mergeInTimeOrder } from './combine-ledgers.ts';
import { planCustomers, PRODUCT_IDS, type PlannedCustomers, type SandboxPsu } from './plan-customers.ts';
import { planEuCustomers } from './plan-eu-customers.ts';
import { Prng } from './prng.ts';
import { ARRANGED_OVERDRAFT_FEE_MINOR, BUSINESS_MONTHLY_FEE_MINOR, REPLACEMENT_CARD_FEE_MINOR, SAVER_RATE_BPS, simulateHistory, type SimulatedHistory } from './simulate-history.ts';
import { simulateCardAccounts } from './simulate-card-accounts.ts';

export type { SandboxPsu } from './plan-customers.ts';

export interface SandboxOptions {
  /** Number of UK sandbox customers (PSUs), 5 to 10,000; the EU customers come on top. */
  readonly customers: number;
  /** Months of history ending at `asOf`, 1 to 60. */
  readonly months: number;
  readonly seed: number;
  readonly asOf: Date;
}

/**
 * The tables of the sandbox bank, in the order they are written (each refers only to those before
 * it), under the dataset's name for their rows. Accounts: internal ones first, `balance_minor` the
 * sum of each account's postings. Postings: in entry order, `id` left to the database.
 * Transactions: booked lines in booking order, then the pending ones.
 */
export const SANDBOX_TABLES = {
  products: 'bank_products',
  parties: 'bank_parties',
  accounts: 'bank_accounts',
  accountHolders: 'bank_account_holders',
  journalEntries: 'bank_journal_entries',
  postings: 'bank_postings',
  transactions: 'bank_transactions',
  beneficiaries: 'bank_beneficiaries',
  standingOrders: 'bank_standing_orders',
  directDebits: 'bank_direct_debits',
  scheduledPayments: 'bank_scheduled_payments',
  statements: 'bank_statements',
} as const;

type SandboxTables = typeof SANDBOX_TABLES;

/** Everything the sandbox bank consists of, as rows ready to insert (ids included). */
export type SandboxDataset = { readonly [K in keyof SandboxTables]: NewRow<SandboxTables[K]>[] } & {
  readonly options: SandboxOptions;
  readonly psus: SandboxPsu[];
};

/**
 * Generates a whole sandbox bank from a seed: customers, their accounts and a booked history over
 * `months` months up to `asOf`. Pure: the same options give the same dataset, ids included, so a
 * sandbox can be rebuilt exactly and tests can name what they expect. The `customers` UK
 * customers come first, then one EU customer per euro-area country (plan-eu-customers.ts).
 */
export function generateSandboxBank(options: SandboxOptions): SandboxDataset {
  const { customers, months, seed, asOf } = options;
  if (!Number.isInteger(customers) || customers < 5 || customers > 10_000) throw new RangeError(`customers must be an integer from 5 to 10000, got ${customers}`);
  if (!Number.isInteger(months) || months < 1 || months > 60) throw new RangeError(`months must be an integer from 1 to 60, got ${months}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!(asOf instanceof Date) || Number.isNaN(asOf.getTime())) throw new RangeError('asOf must be a valid Date');

  const root = new Prng(seed);
  // Separate streams, so that e.g. one more kind of event does not change every customer's name.
  const ukStreams = { customers: root.fork(), history: root.fork(), arrangements: root.fork(), ids: root.fork() };
  // The EU customers came later: forked after the UK streams, theirs leave a seed's UK customers,
  // their histories and every id as they were before there were EU customers.
  const euStreams = { customers: root.fork(), history: root.fork(), arrangements: root.fork(), ids: root.fork() };

  const window = { start: addMonths(asOf, -months), end: asOf };
  const uk = simulateMarket(planCustomers(ukStreams.customers, customers, window.start), ukStreams, window);
  const usernames = new Set(uk.planned.psus.map((p) => p.username));
  const eu = simulateMarket(planEuCustomers(euStreams.customers, window.start, { firstPosition: customers, usernames }), euStreams, window);
  const markets = [uk, eu];
  // The EU customers' credit cards came later still: their own streams, forked last.
  const cardStreams = { history: root.fork(), ids: root.fork() };
  const cards = simulateCardAccounts(cardStreams.history, cardStreams.ids, eu.planned.plans, window);

  const ledger = combineLedgers([...markets.map((m) => m.history.ledger), cards.ledger]);
  const pending = mergeInTimeOrder([...markets.map((m) => m.history.pending), cards.pending], (line) => (line.booking_at as Date).getTime());
  const accountPlans = markets.flatMap((m) => m.planned.accounts);
  const pendingByAccount = new Map<string, bigint>();
  for (const line of pending) pendingByAccount.set(line.account_id, (pendingByAccount.get(line.account_id) ?? 0n) - line.amount_minor);

  const currencies = [...new Set(accountPlans.map((a) => a.currency))].sort();
  const internalOpenedAt = new Date(Date.UTC(asOf.getUTCFullYear() - 10, 0, 1));
  const internalAccounts: NewRow<'bank_accounts'>[] = currencies.flatMap((currency) =>
    INTERNAL_ACCOUNT_PURPOSES.map((purpose) => {
      const id = internalAccountId(purpose, currency);
      return {
        id,
        holder_kind: 'Internal' as const,
        sub_type: 'Internal' as const,
        currency,
        name: `${INTERNAL_ACCOUNT_NAMES[purpose]} (${currency})`,
        nickname: null,
        sort_code: null,
        account_number: null,
        iban: null,
        bic: null,
        product_id: null,
        status: 'Enabled' as const,
        opened_at: internalOpenedAt,
        overdraft_limit_minor: 0n,
        allow_negative: true,
        balance_minor: ledger.balance(id),
        pending_minor: 0n,
      };
    }),
  );
  const customerAccounts: NewRow<'bank_accounts'>[] = accountPlans.map((a) => ({
    id: a.id,
    holder_kind: a.kind === 'business' ? 'Business' : 'Personal',
    sub_type: a.kind === 'saver' ? 'Savings' : 'CurrentAccount',
    currency: a.currency,
    name: a.name,
    nickname: a.nickname,
    sort_code: a.sortCode,
    account_number: a.accountNumber,
    iban: a.iban,
    bic: a.bic,
    product_id: a.productId,
    status: 'Enabled',
    opened_at: a.openedAt,
    overdraft_limit_minor: a.overdraftLimitMinor,
    allow_negative: false,
    balance_minor: ledger.balance(a.id),
    pending_minor: pendingByAccount.get(a.id) ?? 0n,
  }));
  const cardAccounts: NewRow<'bank_accounts'>[] = cards.cards.map((card) => ({
    id: card.id,
    holder_kind: 'Personal',
    sub_type: 'CreditCard',
    currency: card.currency,
    name: card.name,
    nickname: null,
    sort_code: null,
    account_number: null,
    iban: null,
    bic: null,
    product_id: null,
    status: 'Enabled',
    opened_at: card.openedAt,
    overdraft_limit_minor: card.creditLimitMinor,
    allow_negative: false,
    balance_minor: ledger.balance(card.id),
    pending_minor: pendingByAccount.get(card.id) ?? 0n,
    card_masked_pan: card.maskedPan,
  }));

  return {
    options: { customers, months, seed, asOf: new Date(asOf.getTime()) },
    products: PRODUCTS,
    parties: markets.flatMap((m) => m.planned.parties),
    accounts: [...internalAccounts, ...customerAccounts, ...cardAccounts],
    accountHolders: [...markets.flatMap((m) => m.planned.holders), ...cards.holders],
    journalEntries: ledger.entries,
    postings: ledger.postings,
    transactions: [...ledger.lines, ...pending],
    beneficiaries: markets.flatMap((m) => m.arrangements.beneficiaries),
    standingOrders: markets.flatMap((m) => m.arrangements.standingOrders),
    directDebits: markets.flatMap((m) => m.arrangements.directDebits),
    scheduledPayments: markets.flatMap((m) => m.arrangements.scheduledPayments),
    statements: markets.flatMap((m) => m.statements),
    psus: markets.flatMap((m) => m.planned.psus),
  };
}

interface Streams {
  readonly history: Prng;
  readonly arrangements: Prng;
  readonly ids: Prng;
}

interface SimulatedMarket {
  readonly planned: PlannedCustomers;
  readonly history: SimulatedHistory;
  readonly arrangements: Arrangements;
  readonly statements: NewRow<'bank_statements'>[];
}

/**
 * One market's customers' history, payees and statements. Each market's customers pay each other
 * (in one currency), and its books draw ids from its own stream, so markets leave each other alone.
 */
function simulateMarket(planned: PlannedCustomers, streams: Streams, window: { start: Date; end: Date }): SimulatedMarket {
  const history = simulateHistory(streams.history, streams.ids, planned.plans, planned.accounts, window);
  const arrangements = buildArrangements(streams.arrangements, streams.ids, planned.plans, history.lastPayments, window.end);
  const statements = buildStatements(streams.ids, planned.accounts, history.ledger.lines, window.start, window.end);
  return { planned, history, arrangements, statements };
}

const decimal = (minor: bigint): string => `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;

const PRODUCTS: NewRow<'bank_products'>[] = [
  {
    id: PRODUCT_IDS.current,
    name: 'Personal Current Account',
    product_type: 'PersonalCurrentAccount',
    currency: 'GBP',
    details: JSON.stringify({
      fees: { monthlyAccountFee: '0.00', arrangedOverdraftMonthlyFee: decimal(ARRANGED_OVERDRAFT_FEE_MINOR), replacementCardFee: decimal(REPLACEMENT_CARD_FEE_MINOR) },
      overdraft: { arranged: true, limits: ['500.00', '1000.00'], representativeApr: '39.9' },
      interest: { creditInterest: false },
    }),
  },
  {
    id: PRODUCT_IDS.business,
    name: 'Business Current Account',
    product_type: 'BusinessCurrentAccount',
    currency: 'GBP',
    details: JSON.stringify({
      fees: { monthlyAccountFee: decimal(BUSINESS_MONTHLY_FEE_MINOR), electronicPayments: '0.00' },
      overdraft: { arranged: true, limits: ['2500.00'], representativeApr: '14.9' },
      interest: { creditInterest: false },
    }),
  },
  {
    id: PRODUCT_IDS.saver,
    name: 'Instant Saver',
    product_type: 'Savings',
    currency: 'GBP',
    details: JSON.stringify({
      fees: { monthlyAccountFee: '0.00' },
      overdraft: null,
      interest: { aer: `${SAVER_RATE_BPS / 100n}.${String(SAVER_RATE_BPS % 100n).padStart(2, '0')}`, paid: 'Monthly', withdrawals: 'Unlimited' },
    }),
  },
  {
    id: PRODUCT_IDS.eur,
    name: 'Euro Currency Account',
    product_type: 'PersonalCurrentAccount',
    currency: 'EUR',
    details: JSON.stringify({
      fees: { monthlyAccountFee: '0.00', nonSterlingTransactionFee: '0.00' },
      overdraft: null,
      interest: { creditInterest: false },
    }),
  },
  {
    // The EU customers' everyday account, held at the bank's branch in their country.
    id: PRODUCT_IDS['euro-current'],
    name: 'Euro Area Current Account',
    product_type: 'PersonalCurrentAccount',
    currency: 'EUR',
    details: JSON.stringify({
      fees: { monthlyAccountFee: '0.00', replacementCardFee: decimal(REPLACEMENT_CARD_FEE_MINOR) },
      overdraft: null,
      interest: { creditInterest: false },
    }),
  },
];
