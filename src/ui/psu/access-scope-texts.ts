import { DATA_CLUSTERS, type AccessScope, type DataCluster, type DetailLevel } from '../../modules/consents/index.ts';

/** What each data cluster lets the provider see, at each level, in the words a customer understands. */
const CLUSTER_TEXTS: Record<DataCluster, Record<DetailLevel, string>> = {
  accounts: { basic: 'Your account names, types and currencies', detail: 'Your account names, types, currencies, sort codes and account numbers' },
  balances: { basic: 'Your account balances', detail: 'Your account balances' },
  beneficiaries: { basic: 'The names of the people and businesses you pay', detail: 'The people and businesses you pay, with their account details' },
  'direct-debits': { basic: 'Your Direct Debits', detail: 'Your Direct Debits' },
  offers: { basic: 'Offers the bank has made to you', detail: 'Offers the bank has made to you' },
  pan: { basic: 'Your full card numbers', detail: 'Your full card numbers' },
  parties: { basic: 'The name and contact details of the account holders', detail: 'The name and contact details of the account holders' },
  'party-psu': { basic: 'Your own name and contact details', detail: 'Your own name and contact details' },
  products: { basic: 'The products behind your accounts (fees, interest rates)', detail: 'The products behind your accounts (fees, interest rates)' },
  'scheduled-payments': { basic: 'Your future-dated payments', detail: 'Your future-dated payments, with the payees’ account details' },
  'standing-orders': { basic: 'Your standing orders', detail: 'Your standing orders, with the payees’ account details' },
  statements: { basic: 'Your statements', detail: 'Your statements, with their amounts' },
  transactions: { basic: 'Your transactions', detail: 'Your transactions, with references and counterparty details' },
};

/** What an access scope lets the provider see, one line per kind of data, in the scope's cluster order. */
export function accessScopeTexts(scope: AccessScope): string[] {
  const texts = DATA_CLUSTERS.flatMap((cluster) => {
    const level = scope.clusters[cluster];
    return level ? [CLUSTER_TEXTS[cluster][level]] : [];
  });
  if (scope.directions.credits) texts.push('Money coming into your accounts');
  if (scope.directions.debits) texts.push('Money going out of your accounts');
  return texts;
}
