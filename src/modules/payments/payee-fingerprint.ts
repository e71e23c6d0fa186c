import { createHmac } from 'node:crypto';

/**
 * A payee as payment events name it (docs/events.md): a keyed hash (HMAC-SHA256, 128 bits,
 * base64url) of the creditor account's scheme and identification, spaces removed and upper-cased
 * so that an IBAN written in groups is the same payee. Anomaly detection tells a payee a PSU never
 * paid from one it has (docs/risk.md) without the account number leaving the payments module; the
 * key, the bank's own, keeps an account number from being found again by hashing candidates.
 */
export function payeeFingerprint(key: Uint8Array, creditor: { readonly scheme: string; readonly identification: string }): string {
  const identification = creditor.identification.replace(/\s+/g, '').toUpperCase();
  return createHmac('sha256', key).update(`${creditor.scheme}:${identification}`).digest().subarray(0, 16).toString('base64url');
}
