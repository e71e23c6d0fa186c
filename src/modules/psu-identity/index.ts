export { hashPassword, verifyPassword, PUBLISHED_PASSWORD_HASH_PARAMS } from './password-hash.ts';
export { base32Encode, base32Decode } from './base32.ts';
export { generateTotp, verifyTotp, timeStep, TOTP_DIGITS, TOTP_PERIOD_SECONDS } from './totp.ts';
export { authenticatePassword, verifyOneTimeCode, findPsu } from './authenticate-psu.ts';
export type { AuthenticatedPsu, AttemptSource } from './authenticate-psu.ts';
export { LoginGuard, DEFAULT_LOGIN_GUARD, sourceOf } from './login-guard.ts';
export type { LoginGuardPolicy, LoginAttempt } from './login-guard.ts';
export { HashSlots, HashSlotsBusy } from './hash-slots.ts';
export { PsuIdentityErrors, LoginThrottled } from './psu-identity.errors.ts';
export {
  relyingPartyFor,
  startPasskeyRegistration,
  finishPasskeyRegistration,
  startPasskeyAuthentication,
  finishPasskeyAuthentication,
  listPasskeys,
} from './passkeys.ts';
export type { RelyingParty } from './passkeys.ts';
