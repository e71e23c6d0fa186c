import { randomInt } from 'node:crypto';

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomString(length: number, alphabet: string): string {
  let text = '';
  for (let i = 0; i < length; i += 1) text += alphabet[randomInt(alphabet.length)];
  return text;
}

/** An org_id in the shape of the OB Directory's 18-character ids (e.g. `0015800001041RHAAY`). */
export function randomOrganisationId(): string {
  return randomString(18, ALPHANUMERIC.slice(0, 36));
}

/** A software_id in the shape of the OB Directory's 22-character base62 ids. */
export function randomSoftwareId(): string {
  return randomString(22, ALPHANUMERIC);
}

/** A sandbox NCA authorisation number: six digits, like an FCA firm reference number. */
export function randomAuthorisationNumber(): string {
  return String(randomInt(100_000, 1_000_000));
}
