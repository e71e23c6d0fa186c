import type { AccountPermission, Consent } from '../consents/index.ts';

/** The account-information resources a consent can grant, one per OB v4.0 AIS endpoint family. */
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

const TRANSACTIONS: AccountPermission[] = ['ReadTransactionsBasic', 'ReadTransactionsDetail'];
const DIRECTIONS: AccountPermission[] = ['ReadTransactionsCredits', 'ReadTransactionsDebits'];
const STATEMENTS: AccountPermission[] = ['ReadStatementsBasic', 'ReadStatementsDetail'];

/**
 * OB v4.0 AIS profile, "Permissions": what each endpoint needs. Every inner list is "one of";
 * all lists must be met. Transactions need a cluster (Basic or Detail) and a direction (Credits
 * or Debits); a statement's transactions need statement and transaction permissions both; the
 * statement file is Detail only.
 */
export const REQUIRED_PERMISSIONS: Readonly<Record<AisResource, readonly (readonly AccountPermission[])[]>> = {
  accounts: [['ReadAccountsBasic', 'ReadAccountsDetail']],
  balances: [['ReadBalances']],
  beneficiaries: [['ReadBeneficiariesBasic', 'ReadBeneficiariesDetail']],
  'direct-debits': [['ReadDirectDebits']],
  offers: [['ReadOffers']],
  parties: [['ReadParty']],
  'party-psu': [['ReadPartyPSU']],
  products: [['ReadProducts']],
  'scheduled-payments': [['ReadScheduledPaymentsBasic', 'ReadScheduledPaymentsDetail']],
  'standing-orders': [['ReadStandingOrdersBasic', 'ReadStandingOrdersDetail']],
  statements: [STATEMENTS],
  'statement-file': [['ReadStatementsDetail']],
  'statement-transactions': [STATEMENTS, TRANSACTIONS, DIRECTIONS],
  transactions: [TRANSACTIONS, DIRECTIONS],
};

/** Whether the consent's permissions cover the resource. */
export function grantsAccess(consent: Pick<Consent, 'permissions'>, resource: AisResource): boolean {
  const granted = new Set(consent.permissions);
  return REQUIRED_PERMISSIONS[resource].every((anyOf) => anyOf.some((permission) => granted.has(permission)));
}

const DETAIL_PERMISSION: Partial<Record<AisResource, AccountPermission>> = {
  accounts: 'ReadAccountsDetail',
  beneficiaries: 'ReadBeneficiariesDetail',
  'scheduled-payments': 'ReadScheduledPaymentsDetail',
  'standing-orders': 'ReadStandingOrdersDetail',
  statements: 'ReadStatementsDetail',
  'statement-transactions': 'ReadTransactionsDetail',
  transactions: 'ReadTransactionsDetail',
};

/**
 * OB v4.0 AIS profile, "Data clusters": the Detail permission adds the sensitive fields
 * (account identification, counterparties, amounts of statements, transaction narratives and
 * running balances) to what the Basic one shows.
 */
export function dataCluster(consent: Pick<Consent, 'permissions'>, resource: AisResource): 'Basic' | 'Detail' {
  const detail = DETAIL_PERMISSION[resource];
  return detail && consent.permissions.includes(detail) ? 'Detail' : 'Basic';
}

/** The transaction directions the consent lets a TPP see. */
export function permittedDirections(consent: Pick<Consent, 'permissions'>): { credits: boolean; debits: boolean } {
  return { credits: consent.permissions.includes('ReadTransactionsCredits'), debits: consent.permissions.includes('ReadTransactionsDebits') };
}
