import type { Account } from '../../core/index.ts';
import { accessScopeOf, levelOf, type AccessScope, type AccountIdentifier, type AccountKind, type Consent, type DataCluster, type DetailLevel, type TransactionWindow } from '../consents/index.ts';

/** The account-information resources a consent can grant, one per AIS endpoint family. */
export type AisResource =
  | 'accounts'
  | 'balances'
  | 'beneficiaries'
  | 'direct-debits'
  | 'offers'
  | 'parties'
  | 'party-psu'
  | 'products'
  | 'scheduled-payments'
  | 'standing-orders'
  | 'statements'
  | 'statement-file'
  | 'statement-transactions'
  | 'transactions';

/**
 * What a resource needs from an access scope: its clusters, whether at `detail`, and whether
 * transactions are among them (then a direction too). A statement's transactions need statements
 * and transactions both; the statement file shows amounts, so it needs statements at `detail`.
 */
interface Needs {
  readonly clusters: readonly DataCluster[];
  /** The cluster whose level decides how much of the resource is shown. */
  readonly shownAs: DataCluster;
  readonly detailOnly?: true;
}

const NEEDS: Readonly<Record<AisResource, Needs>> = {
  accounts: { clusters: ['accounts'], shownAs: 'accounts' },
  balances: { clusters: ['balances'], shownAs: 'balances' },
  beneficiaries: { clusters: ['beneficiaries'], shownAs: 'beneficiaries' },
  'direct-debits': { clusters: ['direct-debits'], shownAs: 'direct-debits' },
  offers: { clusters: ['offers'], shownAs: 'offers' },
  parties: { clusters: ['parties'], shownAs: 'parties' },
  'party-psu': { clusters: ['party-psu'], shownAs: 'party-psu' },
  products: { clusters: ['products'], shownAs: 'products' },
  'scheduled-payments': { clusters: ['scheduled-payments'], shownAs: 'scheduled-payments' },
  'standing-orders': { clusters: ['standing-orders'], shownAs: 'standing-orders' },
  statements: { clusters: ['statements'], shownAs: 'statements' },
  'statement-file': { clusters: ['statements'], shownAs: 'statements', detailOnly: true },
  'statement-transactions': { clusters: ['statements', 'transactions'], shownAs: 'transactions' },
  transactions: { clusters: ['transactions'], shownAs: 'transactions' },
};

/** Whether the scope covers the resource. */
export function grantsAccess(scope: AccessScope, resource: AisResource): boolean {
  const needs = NEEDS[resource];
  if (!needs.clusters.every((cluster) => levelOf(scope, cluster) !== undefined)) return false;
  if (needs.detailOnly && levelOf(scope, needs.shownAs) !== 'detail') return false;
  return !needs.clusters.includes('transactions') || scope.directions.credits || scope.directions.debits;
}

/** How much of the resource the scope shows (`detail` adds the sensitive fields). */
export function detailLevel(scope: AccessScope, resource: AisResource): DetailLevel {
  return levelOf(scope, NEEDS[resource].shownAs) === 'detail' ? 'detail' : 'basic';
}

/** The transaction directions the consent lets a TPP see. */
export function permittedDirections(consent: Pick<Consent, 'purpose'>): { credits: boolean; debits: boolean } {
  const { credits, debits } = accessScopeOf(consent).directions;
  return { credits, debits };
}

/** The period whose transactions the consent lets a TPP see (its access scope's window). */
export function transactionWindowOf(consent: Pick<Consent, 'purpose'>): TransactionWindow {
  return accessScopeOf(consent).window;
}

/**
 * The accounts the consent's scope names for the resource, when it names accounts per kind of data
 * (Berlin Group style): only those named for every kind the resource reads. Undefined when the
 * scope names none (`psu-selects`, `all-accounts`): then the consent's accounts, as recorded at
 * authorisation, are the selection.
 */
export function namedAccountsFor(consent: Pick<Consent, 'purpose'>, resource: AisResource): readonly AccountIdentifier[] | undefined {
  const selection = accessScopeOf(consent).accounts;
  if (typeof selection === 'string') return undefined;
  const [first = [], ...others] = NEEDS[resource].clusters.map((cluster) => selection.named[cluster] ?? []);
  return first.filter((identifier) => others.every((list) => list.some((other) => sameIdentifier(other, identifier))));
}

/** Whether the identifier (neutral scheme and identification, spaces and case aside) is the account's. */
export function identifies(account: Account, identifier: AccountIdentifier): boolean {
  const identification = compact(identifier.identification);
  if (identifier.scheme === 'IBAN') return account.iban !== null && compact(account.iban) === identification;
  if (identifier.scheme === 'SortCodeAccountNumber') return account.sortCode !== null && account.accountNumber !== null && compact(`${account.sortCode}${account.accountNumber}`) === identification;
  if (identifier.scheme === 'MaskedPAN') return account.card !== undefined && compact(account.card.maskedPan) === identification;
  if (identifier.scheme === 'PAN') return account.card !== undefined && panFitsMask(identification, compact(account.card.maskedPan));
  return false;
}

/** A card account's kind of account: `card`, else `payment`. */
export function accountKindOf(account: Pick<Account, 'card'>): AccountKind {
  return account.card ? 'card' : 'payment';
}

/**
 * Whether a full card number is the one a masked number shows: as long, and the same digit
 * wherever the mask shows one (masked places are `*` or `X`). The bank keeps only the masked
 * number, so a PAN names the PSU's card whose visible digits it has.
 */
function panFitsMask(pan: string, masked: string): boolean {
  if (!/^\d{8,19}$/.test(pan) || pan.length !== masked.length) return false;
  return [...masked].every((char, i) => char === '*' || char === 'X' || char === pan[i]);
}

const compact = (identification: string) => identification.replace(/[\s-]/g, '').toUpperCase();
const sameIdentifier = (a: AccountIdentifier, b: AccountIdentifier) => a.scheme === b.scheme && compact(a.identification) === compact(b.identification);
