import { composeIban } from '../../core/identifiers.ts';
import type { Prng } from './prng.ts';
import type { Counterparty, SandboxMarket } from './sandbox-plan.ts';

/** The euro-area countries the sandbox's EU customers live in. */
export const EURO_AREA_COUNTRIES = ['DE', 'FR', 'NL', 'IE'] as const;
export type EuroAreaCountry = (typeof EURO_AREA_COUNTRIES)[number];

export interface EuroAreaBranch {
  /** What the bank's IBANs in the country carry before the account number (bank code, and branch code where the BBAN has one). */
  readonly bankCode: string;
  readonly bic: string;
}

/**
 * The bank's branch in each country, where its EU customers' accounts are held. Made-up codes
 * under the bank's own BIC prefix; the German and French ones are not registered bank codes.
 */
export const EURO_AREA_BRANCHES: Readonly<Record<EuroAreaCountry, EuroAreaBranch>> = {
  DE: { bankCode: '10099990', bic: 'PRTCDEFFXXX' },
  FR: { bankCode: '1799900001', bic: 'PRTCFRPPXXX' },
  NL: { bankCode: 'PRTC', bic: 'PRTCNL2AXXX' },
  IE: { bankCode: 'PRTC990521', bic: 'PRTCIE2DXXX' },
};

/** Digits of an account number after the bank (and branch) code, per the country's BBAN (ISO 13616). */
const ACCOUNT_DIGITS: Readonly<Record<EuroAreaCountry, number>> = { DE: 10, FR: 11, NL: 10, IE: 8 };

/** Other banks' codes in each country, for the customers' counterparties. */
const OTHER_BANK_CODES: Readonly<Record<EuroAreaCountry, (prng: Prng) => string>> = {
  // A Bankleitzahl starts with its clearing area, 1 to 8.
  DE: (prng) => `${prng.int(1, 8)}${prng.digits(7)}`,
  FR: (prng) => prng.digits(10),
  NL: (prng) => prng.pick(['INGB', 'ABNA', 'RABO', 'SNSB', 'TRIO']),
  // Irish sort codes (NSCs) start with the bank's own prefix.
  IE: (prng) => `${prng.pick(['AIBK93', 'BOFI90'])}${prng.digits(4)}`,
};

/** Which market a customer living in `country` (ISO 3166-1 alpha-2) belongs to. */
export function marketOf(country: string | null | undefined): SandboxMarket {
  return (EURO_AREA_COUNTRIES as readonly string[]).includes(country ?? '') ? 'EU' : 'UK';
}

/** A new IBAN at the bank's branch in `country`. */
export function branchIban(prng: Prng, country: EuroAreaCountry): string {
  return nationalIban(country, EURO_AREA_BRANCHES[country].bankCode, prng.digits(ACCOUNT_DIGITS[country]));
}

/** Someone's account at another bank in `country`. */
export function externalIbanIn(prng: Prng, country: EuroAreaCountry, name: string): Counterparty {
  return { name, scheme: 'iban', identification: nationalIban(country, OTHER_BANK_CODES[country](prng), prng.digits(ACCOUNT_DIGITS[country])) };
}

/** Someone's account at a bank anywhere in the euro area. */
export function externalEuroAreaIban(prng: Prng, name: string): Counterparty {
  return externalIbanIn(prng, prng.pick(EURO_AREA_COUNTRIES), name);
}

/**
 * An IBAN that passes the country's own BBAN check as well as mod 97-10: a French BBAN ends in its
 * RIB key, which makes the whole BBAN 0 mod 97 (for all-digit account numbers, as generated here).
 */
function nationalIban(country: EuroAreaCountry, bankCode: string, accountNumber: string): string {
  const bban = `${bankCode}${accountNumber}`;
  if (country !== 'FR') return composeIban(country, bban);
  const key = 97n - ((BigInt(bban) * 100n) % 97n);
  return composeIban(country, `${bban}${String(key).padStart(2, '0')}`);
}
