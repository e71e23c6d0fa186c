import { ConsentErrors, type AccessScope, type DataCluster, type DetailLevel, type TransactionWindow } from '../../../../modules/consents/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';

/** OB v4.0 AIS `OBInternalPermissions1Code`: what each grants, as a data cluster at a level or a transaction direction. */
const PERMISSIONS = {
  ReadAccountsBasic: { cluster: 'accounts', level: 'basic' },
  ReadAccountsDetail: { cluster: 'accounts', level: 'detail' },
  ReadBalances: { cluster: 'balances', level: 'basic' },
  ReadBeneficiariesBasic: { cluster: 'beneficiaries', level: 'basic' },
  ReadBeneficiariesDetail: { cluster: 'beneficiaries', level: 'detail' },
  ReadDirectDebits: { cluster: 'direct-debits', level: 'basic' },
  ReadOffers: { cluster: 'offers', level: 'basic' },
  ReadPAN: { cluster: 'pan', level: 'basic' },
  ReadParty: { cluster: 'parties', level: 'basic' },
  ReadPartyPSU: { cluster: 'party-psu', level: 'basic' },
  ReadProducts: { cluster: 'products', level: 'basic' },
  ReadScheduledPaymentsBasic: { cluster: 'scheduled-payments', level: 'basic' },
  ReadScheduledPaymentsDetail: { cluster: 'scheduled-payments', level: 'detail' },
  ReadStandingOrdersBasic: { cluster: 'standing-orders', level: 'basic' },
  ReadStandingOrdersDetail: { cluster: 'standing-orders', level: 'detail' },
  ReadStatementsBasic: { cluster: 'statements', level: 'basic' },
  ReadStatementsDetail: { cluster: 'statements', level: 'detail' },
  ReadTransactionsBasic: { cluster: 'transactions', level: 'basic' },
  ReadTransactionsCredits: { direction: 'credits' },
  ReadTransactionsDebits: { direction: 'debits' },
  ReadTransactionsDetail: { cluster: 'transactions', level: 'detail' },
} as const satisfies Record<string, { cluster: DataCluster; level: DetailLevel } | { direction: 'credits' | 'debits' }>;

export type ObPermission = keyof typeof PERMISSIONS;

/** Every OB v4.0 account-access permission code. */
export const OB_PERMISSIONS = Object.keys(PERMISSIONS) as ObPermission[];

const isObPermission = (code: string): code is ObPermission => Object.hasOwn(PERMISSIONS, code);

/**
 * OB `Data.Permissions` (with the transaction window) as an access scope. A cluster asked for at
 * both levels is granted at `detail`, which shows all that `basic` does. OB v4.0 AIS profile,
 * "Permissions": a code is not repeated (the schema knows the codes; a repeat is this check's).
 * The consents module refuses what is not a scope at all (transactions without a direction, a
 * direction without transactions, nothing granted).
 */
export function accessScopeOfObPermissions(permissions: readonly string[], window: TransactionWindow): AccessScope {
  const problems: string[] = [];
  const unknown = permissions.filter((code) => !isObPermission(code));
  if (unknown.length > 0) problems.push(`unknown permissions: ${unknown.join(', ')}`);
  if (new Set(permissions).size !== permissions.length) problems.push('permissions must not repeat');
  if (problems.length > 0) {
    throw new AppError(ConsentErrors.PERMISSIONS_INVALID, { details: problems.map((message) => ({ message, field: 'access.clusters' })) });
  }
  const clusters: Partial<Record<DataCluster, DetailLevel>> = {};
  const directions = { credits: false, debits: false };
  for (const code of permissions as ObPermission[]) {
    const grant: { cluster: DataCluster; level: DetailLevel } | { direction: 'credits' | 'debits' } = PERMISSIONS[code];
    if ('direction' in grant) directions[grant.direction] = true;
    else if (clusters[grant.cluster] !== 'detail') clusters[grant.cluster] = grant.level;
  }
  return { clusters, directions, window, accounts: 'psu-selects' };
}

/**
 * The OB permission codes that express a scope, in the code list's order: what a consent reads
 * as when its request does not say (the consent response echoes the TPP's own list).
 */
export function obPermissionsOf(scope: AccessScope): ObPermission[] {
  return OB_PERMISSIONS.filter((code) => {
    const grant: { cluster: DataCluster; level: DetailLevel } | { direction: 'credits' | 'debits' } = PERMISSIONS[code];
    return 'direction' in grant ? scope.directions[grant.direction] : scope.clusters[grant.cluster] === grant.level;
  });
}
