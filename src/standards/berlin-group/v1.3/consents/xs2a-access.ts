import type { AccessScope, AccountIdentifier, DataCluster } from '../../../../modules/consents/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { ibanOf } from '../payments/xs2a-payment-initiation.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';

/** NextGenPSD2 `accountReference`: Portico's accounts are addressed by IBAN (with an optional currency). */
export interface Xs2aAccountReference {
  readonly iban?: string;
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
  readonly [other: string]: unknown;
}

const ALL_DATA = { accounts: 'detail', balances: 'detail', transactions: 'detail' } as const;
const BOTH_DIRECTIONS = { credits: true, debits: true };
const NO_WINDOW = { from: null, to: null };

function identifiersOf(list: readonly Xs2aAccountReference[] | undefined, member: string): AccountIdentifier[] {
  return (list ?? []).map((reference, index) => ({ scheme: 'IBAN', identification: ibanOf(reference, `access.${member}[${index}]`) }));
}

/**
 * The neutral access scope of a consent request (Implementation Guidelines §6.3.1): `allPsd2` is
 * every payment account with all data; `availableAccounts`/`availableAccountsWithBalance` the list
 * of accounts (with balances); lists of IBANs name the accounts per kind of data (an account named
 * for balances or transactions is named for its details too); empty lists leave the choice of
 * accounts to the PSU (bank-offered consent). `unattendedPerDay` is the consent's frequencyPerDay.
 */
export function accessScopeOfXs2a(access: Xs2aAccountAccess, unattendedPerDay: number): AccessScope {
  for (const member of ['additionalInformation', 'restrictedTo'] as const) {
    if (access[member] !== undefined) throw new AppError(Xs2aErrors.PARAMETER_NOT_SUPPORTED, { message: `access.${member} is not offered by this bank`, details: [{ path: `access.${member}` }] });
  }
  const globals = [access.allPsd2, access.availableAccounts, access.availableAccountsWithBalance].filter((value) => value !== undefined);
  const lists = { accounts: access.accounts, balances: access.balances, transactions: access.transactions };
  const listed = Object.values(lists).some((list) => list !== undefined);
  if (globals.length + (listed ? 1 : 0) !== 1) {
    throw new AppError(Xs2aErrors.PARAMETER_NOT_CONSISTENT, { message: 'access names either lists of accounts, or one of allPsd2, availableAccounts and availableAccountsWithBalance', details: [{ path: 'access' }] });
  }
  if (globals.some((value) => value !== 'allAccounts')) {
    throw new AppError(Xs2aErrors.PARAMETER_NOT_SUPPORTED, { message: 'Only "allAccounts" is offered (owner names are not)', details: [{ path: 'access' }] });
  }
  if (access.allPsd2 !== undefined) return { clusters: { ...ALL_DATA }, directions: BOTH_DIRECTIONS, window: NO_WINDOW, accounts: 'all-accounts', unattendedPerDay };
  if (access.availableAccounts !== undefined) return { clusters: { accounts: 'basic' }, directions: { credits: false, debits: false }, window: NO_WINDOW, accounts: 'all-accounts', unattendedPerDay };
  if (access.availableAccountsWithBalance !== undefined) {
    return { clusters: { accounts: 'basic', balances: 'detail' }, directions: { credits: false, debits: false }, window: NO_WINDOW, accounts: 'all-accounts', unattendedPerDay };
  }
  const named = {
    balances: identifiersOf(lists.balances, 'balances'),
    transactions: identifiersOf(lists.transactions, 'transactions'),
    accounts: identifiersOf(lists.accounts, 'accounts'),
  };
  named.accounts = [...named.accounts, ...named.balances, ...named.transactions];
  const clusters: Partial<Record<DataCluster, 'detail'>> = { accounts: 'detail' };
  if (lists.balances !== undefined) clusters.balances = 'detail';
  if (lists.transactions !== undefined) clusters.transactions = 'detail';
  const directions = lists.transactions !== undefined ? BOTH_DIRECTIONS : { credits: false, debits: false };
  const empty = Object.values(named).every((list) => list.length === 0);
  const nonEmptyAndEmpty = Object.entries(lists).some(([, list]) => list !== undefined && list.length === 0) && !empty;
  if (nonEmptyAndEmpty) throw new AppError(Xs2aErrors.PARAMETER_NOT_CONSISTENT, { message: 'Either every list of access names accounts, or every list is empty (bank-offered consent)', details: [{ path: 'access' }] });
  return { clusters, directions, window: NO_WINDOW, accounts: empty ? 'psu-selects' : { named }, unattendedPerDay };
}
