import type { AccessScope, AccountIdentifier, AccountKind, DataCluster } from '../../../../modules/consents/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';

/**
 * NextGenPSD2 `accountReference`: a payment account by IBAN, a card account by its card's masked
 * number (`maskedPan`, as the bank shows it) or full number (`pan`); an optional currency beside.
 */
export interface Xs2aAccountReference {
  readonly iban?: string;
  readonly maskedPan?: string;
  readonly pan?: string;
  readonly currency?: string;
  readonly [other: string]: unknown;
}

/** NextGenPSD2 `accountAccess`, as the consent request body carries it. */
export interface Xs2aAccountAccess {
  readonly accounts?: readonly Xs2aAccountReference[];
  readonly balances?: readonly Xs2aAccountReference[];
  readonly transactions?: readonly Xs2aAccountReference[];
  readonly availableAccounts?: string;
  readonly availableAccountsWithBalance?: string;
  readonly allPsd2?: string;
  readonly restrictedTo?: readonly string[];
  readonly [other: string]: unknown;
}

const ALL_DATA = { accounts: 'detail', balances: 'detail', transactions: 'detail' } as const;
const BOTH_DIRECTIONS = { credits: true, debits: true };
const NO_WINDOW = { from: null, to: null };

/** The neutral identifier of an account reference: IBAN, MaskedPAN or PAN (one of them); other references are not offered. */
function identifierOf(reference: Xs2aAccountReference, path: string): AccountIdentifier {
  const given = (['iban', 'maskedPan', 'pan'] as const).filter((member) => reference[member] !== undefined);
  if (given.length !== 1 || Object.keys(reference).some((member) => member !== 'currency' && member !== given[0])) {
    throw new AppError(Xs2aErrors.PARAMETER_NOT_SUPPORTED, { message: 'Accounts are addressed by IBAN, and card accounts by maskedPan or pan, at this bank', details: [{ path }] });
  }
  const member = given[0]!;
  return { scheme: member === 'iban' ? 'IBAN' : member === 'maskedPan' ? 'MaskedPAN' : 'PAN', identification: reference[member]! };
}

function identifiersOf(list: readonly Xs2aAccountReference[] | undefined, member: string): AccountIdentifier[] {
  return (list ?? []).map((reference, index) => identifierOf(reference, `access.${member}[${index}]`));
}

/** Card references name card accounts; IBANs payment accounts. */
const kindOfIdentifier = (identifier: AccountIdentifier): AccountKind => (identifier.scheme === 'IBAN' ? 'payment' : 'card');

/**
 * `restrictedTo` (cash account types): `CARD` covers card accounts, `CACC` payment accounts (the
 * type the bank gives them all); absent, accounts of every type. A list naming neither selects
 * nothing the bank holds.
 */
function accountKindsOfRestriction(restrictedTo: readonly string[] | undefined): AccountKind[] {
  if (restrictedTo === undefined) return ['payment', 'card'];
  const kinds: AccountKind[] = [...(restrictedTo.includes('CACC') ? ['payment' as const] : []), ...(restrictedTo.includes('CARD') ? ['card' as const] : [])];
  if (kinds.length === 0) throw new AppError(Xs2aErrors.PARAMETER_NOT_SUPPORTED, { message: 'restrictedTo names no account type of this bank: CACC (payment accounts) or CARD (card accounts)', details: [{ path: 'access.restrictedTo' }] });
  return kinds;
}

/**
 * The neutral access scope of a consent request (Implementation Guidelines §6.3.1): `allPsd2` is
 * every account of the PSU's (payment and card accounts, or those of the types `restrictedTo`
 * names) with all data; `availableAccounts`/`availableAccountsWithBalance` the list
 * of accounts (with balances); lists of IBANs (payment accounts) and card numbers (card accounts) name the accounts per kind of data (an account named
 * for balances or transactions is named for its details too); empty lists leave the choice of
 * accounts to the PSU (bank-offered consent). `unattendedPerDay` is the consent's frequencyPerDay.
 */
export function accessScopeOfXs2a(access: Xs2aAccountAccess, unattendedPerDay: number): AccessScope {
  if (access.additionalInformation !== undefined) throw new AppError(Xs2aErrors.PARAMETER_NOT_SUPPORTED, { message: 'access.additionalInformation is not offered by this bank', details: [{ path: 'access.additionalInformation' }] });
  const globals = [access.allPsd2, access.availableAccounts, access.availableAccountsWithBalance].filter((value) => value !== undefined);
  const lists = { accounts: access.accounts, balances: access.balances, transactions: access.transactions };
  const listed = Object.values(lists).some((list) => list !== undefined);
  if (globals.length + (listed ? 1 : 0) !== 1) {
    throw new AppError(Xs2aErrors.PARAMETER_NOT_CONSISTENT, { message: 'access names either lists of accounts, or one of allPsd2, availableAccounts and availableAccountsWithBalance', details: [{ path: 'access' }] });
  }
  if (globals.some((value) => value !== 'allAccounts')) {
    throw new AppError(Xs2aErrors.PARAMETER_NOT_SUPPORTED, { message: 'Only "allAccounts" is offered (owner names are not)', details: [{ path: 'access' }] });
  }
  const named = {
    balances: identifiersOf(lists.balances, 'balances'),
    transactions: identifiersOf(lists.transactions, 'transactions'),
    accounts: identifiersOf(lists.accounts, 'accounts'),
  };
  const empty = Object.values(named).every((list) => list.length === 0);
  // restrictedTo only beside a global value or empty lists (bank-offered): named accounts say their kind themselves.
  if (access.restrictedTo !== undefined && !empty) {
    throw new AppError(Xs2aErrors.PARAMETER_NOT_CONSISTENT, { message: 'restrictedTo may only come with empty lists of accounts, or a global value', details: [{ path: 'access.restrictedTo' }] });
  }
  const accountKinds = accountKindsOfRestriction(access.restrictedTo);
  if (access.allPsd2 !== undefined) return { clusters: { ...ALL_DATA }, directions: BOTH_DIRECTIONS, window: NO_WINDOW, accounts: 'all-accounts', accountKinds, unattendedPerDay };
  if (access.availableAccounts !== undefined) return { clusters: { accounts: 'basic' }, directions: { credits: false, debits: false }, window: NO_WINDOW, accounts: 'all-accounts', accountKinds, unattendedPerDay };
  if (access.availableAccountsWithBalance !== undefined) {
    return { clusters: { accounts: 'basic', balances: 'detail' }, directions: { credits: false, debits: false }, window: NO_WINDOW, accounts: 'all-accounts', accountKinds, unattendedPerDay };
  }
  named.accounts = [...named.accounts, ...named.balances, ...named.transactions];
  const clusters: Partial<Record<DataCluster, 'detail'>> = { accounts: 'detail' };
  if (lists.balances !== undefined) clusters.balances = 'detail';
  if (lists.transactions !== undefined) clusters.transactions = 'detail';
  const directions = lists.transactions !== undefined ? BOTH_DIRECTIONS : { credits: false, debits: false };
  const nonEmptyAndEmpty = Object.entries(lists).some(([, list]) => list !== undefined && list.length === 0) && !empty;
  if (nonEmptyAndEmpty) throw new AppError(Xs2aErrors.PARAMETER_NOT_CONSISTENT, { message: 'Either every list of access names accounts, or every list is empty (bank-offered consent)', details: [{ path: 'access' }] });
  if (empty) return { clusters, directions, window: NO_WINDOW, accounts: 'psu-selects', accountKinds, unattendedPerDay };
  const namedKinds = new Set(named.accounts.map(kindOfIdentifier));
  return { clusters, directions, window: NO_WINDOW, accounts: { named }, accountKinds: (['payment', 'card'] as const).filter((kind) => namedKinds.has(kind)), unattendedPerDay };
}
