import type { Account } from '../../core/index.ts';

/** A sort code as printed on UK cards and statements: 12-34-56. */
export function sortCodeText(sortCode: string): string {
  const digits = sortCode.replace(/\D/g, '');
  return digits.length === 6 ? `${digits.slice(0, 2)}-${digits.slice(2, 4)}-${digits.slice(4)}` : sortCode;
}

/**
 * A payee's account as the PSU checks it against their own records: sort code and number apart
 * (OB `UK.OBIE.SortCodeAccountNumber` is the 6-digit sort code then the 8-digit number), an IBAN
 * in groups of four; other schemes as given.
 */
export function accountIdentificationText(scheme: string | undefined, identification: string): string {
  const compact = identification.replace(/\s+/g, '');
  if (scheme?.endsWith('SortCodeAccountNumber') && /^\d{14}$/.test(compact)) return `${sortCodeText(compact.slice(0, 6))} ${compact.slice(6)}`;
  if (scheme?.endsWith('IBAN')) return compact.toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');
  return identification;
}

/** The core's account sub-types in the PSU's words; others read as "Account". */
const TYPES: Record<string, string> = { CurrentAccount: 'Current account', Savings: 'Savings account', CreditCard: 'Credit card' };

/**
 * One of the PSU's own accounts, described without showing its full number: its type, sort code
 * and the last four digits ("Current account · 12-34-56 · ending ••••5678"; a card account
 * "Credit card · EUR · ending ••••3241").
 */
export function accountDescription(account: Pick<Account, 'subType' | 'holderKind' | 'currency' | 'sortCode' | 'accountNumber' | 'iban' | 'card'>): string {
  const type = TYPES[account.subType] ?? (account.card ? 'Card' : 'Account');
  const parts = [account.holderKind === 'Business' ? `Business ${type.toLowerCase()}` : type];
  if (account.currency !== 'GBP') parts.push(account.currency);
  if (account.sortCode) parts.push(sortCodeText(account.sortCode));
  // A card account by its card's last four digits, as printed on the card.
  const number = account.accountNumber ?? account.iban?.replace(/\s+/g, '') ?? account.card?.maskedPan;
  if (number) parts.push(`ending ••••${number.slice(-4)}`);
  return parts.join(' · ');
}
