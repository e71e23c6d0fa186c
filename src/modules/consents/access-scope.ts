import { AppError } from '../../platform/errors/index.ts';
import { ConsentErrors } from './consents.errors.ts';

/** The kinds of account information an account-access consent can cover. */
export const DATA_CLUSTERS = [
  'accounts',
  'balances',
  'beneficiaries',
  'direct-debits',
  'offers',
  'pan',
  'parties',
  'party-psu',
  'products',
  'scheduled-payments',
  'standing-orders',
  'statements',
  'transactions',
] as const;

export type DataCluster = (typeof DATA_CLUSTERS)[number];

/**
 * How much of a cluster is shown: `detail` adds the sensitive fields (account identifications,
 * counterparties, narratives, statement amounts) to `basic`. A cluster with one view is `basic`.
 */
export type DetailLevel = 'basic' | 'detail';

/** Which transactions may be seen: money coming in, going out, or both. */
export interface TransactionDirections {
  readonly credits: boolean;
  readonly debits: boolean;
}

/** The period whose transactions may be seen; null ends are open. */
export interface TransactionWindow {
  readonly from: Date | null;
  readonly to: Date | null;
}

/**
 * Which accounts the scope covers: those the PSU chooses when authorising (`psu-selects`), every
 * payment account the PSU holds (`all-accounts`), or per cluster the accounts the TPP named, by
 * neutral scheme and identification (`named`) — the last two are how a Berlin Group consent
 * (`allPsd2`, or `access.accounts`/`balances`/`transactions` lists) is expressed.
 */
export type AccountSelection =
  | 'psu-selects'
  | 'all-accounts'
  | { readonly named: Readonly<Partial<Record<DataCluster, readonly AccountIdentifier[]>>> };

/**
 * An account by neutral scheme and identification: `IBAN`, `SortCodeAccountNumber`, or a card
 * account by its card, `MaskedPAN` (as the bank shows it) or `PAN` (the full number).
 */
export interface AccountIdentifier {
  readonly scheme: string;
  readonly identification: string;
}

/** The kinds of account a scope can cover: payment accounts, and card accounts (accounts with a card). */
export type AccountKind = 'payment' | 'card';
export const ACCOUNT_KINDS: readonly AccountKind[] = ['payment', 'card'];

/** What an account-access consent lets a TPP see: which data, how much of it, which transactions. */
export interface AccessScope {
  readonly clusters: Readonly<Partial<Record<DataCluster, DetailLevel>>>;
  readonly directions: TransactionDirections;
  readonly window: TransactionWindow;
  readonly accounts: AccountSelection;
  /**
   * The kinds of account the selection is made from: what the PSU chooses among (`psu-selects`),
   * takes in full (`all-accounts`) or has named. Absent: payment accounts only, what every scope
   * covered before card accounts.
   */
  readonly accountKinds?: readonly AccountKind[] | undefined;
  /**
   * The most reads of each resource of each account a day without the PSU taking part (PSD2 RTS
   * Art. 36(5)(b) allows four; Berlin Group `frequencyPerDay`); absent, the standard sets no limit.
   */
  readonly unattendedPerDay?: number | undefined;
}

/** A scope that grants nothing (what a consent of another purpose reads as). */
export const NO_ACCESS: AccessScope = { clusters: {}, directions: { credits: false, debits: false }, window: { from: null, to: null }, accounts: 'psu-selects' };

/** The kinds of account the scope covers (`AccessScope.accountKinds`). */
export function accountKindsOf(scope: AccessScope): readonly AccountKind[] {
  return scope.accountKinds ?? ['payment'];
}

/** The level a scope grants a cluster at, if it grants it. */
export function levelOf(scope: AccessScope, cluster: DataCluster): DetailLevel | undefined {
  return scope.clusters[cluster];
}

/**
 * A scope a consent can be staged with: it grants some data; transactions come with a direction
 * and directions only with transactions; the window does not end before it starts.
 */
export function validateAccessScope(scope: AccessScope): AccessScope {
  const problems: string[] = [];
  if (Object.keys(scope.clusters).length === 0) problems.push('the scope grants no data');
  const direction = scope.directions.credits || scope.directions.debits;
  if (scope.clusters.transactions && !direction) problems.push('transactions need a direction: credits, debits or both');
  if (direction && !scope.clusters.transactions) problems.push('transaction directions need the transactions cluster');
  if (scope.accountKinds !== undefined && scope.accountKinds.length === 0) problems.push('the scope covers no kind of account');
  if (problems.length > 0) {
    throw new AppError(ConsentErrors.PERMISSIONS_INVALID, { details: problems.map((message) => ({ message, field: 'access.clusters' })) });
  }
  const { from, to } = scope.window;
  if (from && to && from > to) throw new AppError(ConsentErrors.TRANSACTION_WINDOW_INVALID, { details: [{ field: 'access.window.from' }] });
  return scope;
}
