import type { AccountPermission } from '../../modules/consents/index.ts';

/** What each permission lets the provider see, in the words a customer understands. */
const TEXTS: Record<AccountPermission, string> = {
  ReadAccountsBasic: 'Your account names, types and currencies',
  ReadAccountsDetail: 'Your account names, types, currencies, sort codes and account numbers',
  ReadBalances: 'Your account balances',
  ReadBeneficiariesBasic: 'The names of the people and businesses you pay',
  ReadBeneficiariesDetail: 'The people and businesses you pay, with their account details',
  ReadDirectDebits: 'Your Direct Debits',
  ReadOffers: 'Offers the bank has made to you',
  ReadPAN: 'Your full card numbers',
  ReadParty: 'The name and contact details of the account holders',
  ReadPartyPSU: 'Your own name and contact details',
  ReadProducts: 'The products behind your accounts (fees, interest rates)',
  ReadScheduledPaymentsBasic: 'Your future-dated payments',
  ReadScheduledPaymentsDetail: 'Your future-dated payments, with the payees’ account details',
  ReadStandingOrdersBasic: 'Your standing orders',
  ReadStandingOrdersDetail: 'Your standing orders, with the payees’ account details',
  ReadStatementsBasic: 'Your statements',
  ReadStatementsDetail: 'Your statements, with their amounts',
  ReadTransactionsBasic: 'Your transactions',
  ReadTransactionsCredits: 'Money coming into your accounts',
  ReadTransactionsDebits: 'Money going out of your accounts',
  ReadTransactionsDetail: 'Your transactions, with references and counterparty details',
};

export function permissionText(permission: AccountPermission): string {
  return TEXTS[permission];
}
