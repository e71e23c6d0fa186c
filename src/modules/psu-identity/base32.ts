import { Secret } from 'otpauth';

/** RFC 4648 §6 base32 without padding, the form authenticator apps take TOTP secrets in. */
export function base32Encode(bytes: Uint8Array): string {
  return new Secret({ buffer: Uint8Array.from(bytes).buffer }).base32;
}

/** Decodes RFC 4648 base32 (case-insensitive, padding and spaces ignored); undefined if malformed. */
export function base32Decode(text: string): Uint8Array | undefined {
  try {
    return Secret.fromBase32(text.replace(/\s/g, '')).bytes;
  } catch {
    return undefined;
  }
}
