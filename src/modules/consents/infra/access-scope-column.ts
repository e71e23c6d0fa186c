import type { AccessScopeColumn } from './consents.tables.ts';
import type { AccessScope, TransactionWindow } from '../access-scope.ts';

/** An access scope as the `consents.access` JSON column keeps it (its window has columns of its own). */
export function toAccessScopeColumn(scope: AccessScope): AccessScopeColumn {
  return {
    clusters: { ...scope.clusters },
    directions: { ...scope.directions },
    accounts: scope.accounts as AccessScopeColumn['accounts'],
    ...(scope.unattendedPerDay !== undefined ? { unattendedPerDay: scope.unattendedPerDay } : {}),
    ...(scope.accountKinds !== undefined ? { accountKinds: [...scope.accountKinds] } : {}),
  };
}

export function fromAccessScopeColumn(column: AccessScopeColumn, window: TransactionWindow): AccessScope {
  return {
    clusters: column.clusters,
    directions: column.directions,
    window,
    accounts: column.accounts,
    ...(column.unattendedPerDay !== undefined ? { unattendedPerDay: column.unattendedPerDay } : {}),
    ...(column.accountKinds !== undefined ? { accountKinds: column.accountKinds } : {}),
  };
}
