/** The built-in bank's identity in payment schemes. */
export const BANK_CODE = 'PRTC';
export const BANK_BIC = 'PRTCGB2LXXX';

/** ISO 13616 check digits (mod 97-10) for a country code and BBAN. */
export function ibanCheckDigits(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`.toUpperCase();
  const numeric = [...rearranged].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('');
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  return String(98 - remainder).padStart(2, '0');
}

/** A UK IBAN: GBkk + bank code + sort code + account number. */
export function ukIban(sortCode: string, accountNumber: string): string {
  const bban = `${BANK_CODE}${sortCode}${accountNumber}`;
  return `GB${ibanCheckDigits('GB', bban)}${bban}`;
}

export function isValidIban(iban: string): boolean {
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  return ibanCheckDigits(compact.slice(0, 2), compact.slice(4)) === compact.slice(2, 4);
}
