export { hashPassword, verifyPassword } from './password-hash.ts';
export { base32Encode, base32Decode } from './base32.ts';
export { generateTotp, verifyTotp, timeStep, TOTP_DIGITS, TOTP_PERIOD_SECONDS } from './totp.ts';
export { authenticatePassword, verifyOneTimeCode, findPsu, DEFAULT_LOCKOUT } from './authenticate-psu.ts';
export type { AuthenticatedPsu, LockoutPolicy } from './authenticate-psu.ts';
export { PsuIdentityErrors } from './psu-identity.errors.ts';
export {
  relyingPartyFor,
  startPasskeyRegistration,
  finishPasskeyRegistration,
  startPasskeyAuthentication,
  finishPasskeyAuthentication,
  listPasskeys,
} from './passkeys.ts';
export type { RelyingParty } from './passkeys.ts';
