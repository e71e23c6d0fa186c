import { AppError } from '../../platform/errors/index.ts';
import { ConsentErrors } from './consents.errors.ts';
import { ACCOUNT_PERMISSIONS, type AccountPermission } from './consent-model.ts';

/**
 * OB v4.0 Account and Transaction API profile, "Permissions": ReadTransactionsBasic or
 * ReadTransactionsDetail must come with ReadTransactionsCredits and/or ReadTransactionsDebits,
 * and the direction permissions are meaningless without Basic or Detail. Duplicates are refused.
 */
export function validateAccountPermissions(permissions: readonly string[]): AccountPermission[] {
  const problems: string[] = [];
  if (permissions.length === 0) problems.push('at least one permission is required');
  const unknown = permissions.filter((p) => !(ACCOUNT_PERMISSIONS as readonly string[]).includes(p));
  if (unknown.length > 0) problems.push(`unknown permissions: ${unknown.join(', ')}`);
  if (new Set(permissions).size !== permissions.length) problems.push('permissions must not repeat');
  const has = (p: AccountPermission) => permissions.includes(p);
  const transactionCluster = has('ReadTransactionsBasic') || has('ReadTransactionsDetail');
  const direction = has('ReadTransactionsCredits') || has('ReadTransactionsDebits');
  if (transactionCluster && !direction) problems.push('ReadTransactionsBasic/Detail needs ReadTransactionsCredits and/or ReadTransactionsDebits');
  if (direction && !transactionCluster) problems.push('ReadTransactionsCredits/Debits needs ReadTransactionsBasic or ReadTransactionsDetail');
  if (problems.length > 0) {
    throw new AppError(ConsentErrors.PERMISSIONS_INVALID, {
      details: problems.map((message) => ({ message, field: 'access.clusters' })),
    });
  }
  return permissions as AccountPermission[];
}
