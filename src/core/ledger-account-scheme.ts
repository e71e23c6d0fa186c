import type { AccountScheme } from './ports/index.ts';

/**
 * How the ledger records the scheme of a counterparty's or payee's account (statement lines,
 * beneficiaries, standing orders, scheduled payments): neutral names, which each standard's facade
 * maps to its own (UK OB: `UK.OBIE.SortCodeAccountNumber`, `UK.OBIE.IBAN`).
 */
export type LedgerAccountScheme = 'sort-code-account' | 'iban';

const LEDGER_SCHEMES: Readonly<Record<AccountScheme, LedgerAccountScheme>> = { SortCodeAccountNumber: 'sort-code-account', IBAN: 'iban' };

/** The ledger's name of an account scheme; a scheme it has no name for is kept as given. */
export function ledgerSchemeOf(scheme: string): string {
  return LEDGER_SCHEMES[scheme as AccountScheme] ?? scheme;
}
