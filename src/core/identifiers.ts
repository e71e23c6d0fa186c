import { composeIBAN, electronicFormatIBAN, isValidIBAN } from 'ibantools';

/** The built-in bank's identity in payment schemes. */
export const BANK_CODE = 'PRTC';
export const BANK_BIC = 'PRTCGB2LXXX';

/** An IBAN from a country code and a BBAN of that country's ISO 13616 structure, with its check digits. */
export function composeIban(country: string, bban: string): string {
  const iban = composeIBAN({ countryCode: country, bban });
  if (!iban) throw new RangeError(`${bban} is not a ${country} BBAN`);
  return iban;
}

/** A UK IBAN: GBkk + bank code + sort code + account number. */
export function ukIban(sortCode: string, accountNumber: string): string {
  return composeIban('GB', `${BANK_CODE}${sortCode}${accountNumber}`);
}

/**
 * An IBAN (spaces and case ignored) whose country is in the ISO 13616 registry, whose length and
 * BBAN structure are that country's and whose check digits hold (mod 97-10).
 */
export function isValidIban(iban: string): boolean {
  const compact = electronicFormatIBAN(iban.replace(/\s+/g, ''));
  return compact !== null && isValidIBAN(compact);
}
