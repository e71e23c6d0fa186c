/**
 * The bank's own general-ledger accounts, one per purpose and currency. Every customer movement
 * is booked against one of them (or against another customer account), so the ledger as a whole
 * always sums to zero.
 */
export const INTERNAL_ACCOUNT_PURPOSES = ['clearing', 'card-settlement', 'cash', 'fees', 'interest'] as const;

export type InternalAccountPurpose = (typeof INTERNAL_ACCOUNT_PURPOSES)[number];

export const INTERNAL_ACCOUNT_NAMES: Readonly<Record<InternalAccountPurpose, string>> = {
  clearing: 'Faster Payments and Bacs clearing',
  'card-settlement': 'Card scheme settlement',
  cash: 'ATM and branch cash',
  fees: 'Fee income',
  interest: 'Interest expense',
};

/** `gl-<purpose>-<CCY>`, e.g. `gl-clearing-GBP`. */
export function internalAccountId(purpose: InternalAccountPurpose, currency: string): string {
  return `gl-${purpose}-${currency}`;
}
