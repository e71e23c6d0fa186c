export { hashPassword, verifyPassword } from './password-hash.ts';
export { base32Encode, base32Decode } from './base32.ts';
export { generateTotp, verifyTotp, timeStep, TOTP_DIGITS, TOTP_PERIOD_SECONDS } from './totp.ts';
export { authenticatePassword, verifyOneTimeCode, DEFAULT_LOCKOUT } from './authenticate-psu.ts';
export type { AuthenticatedPsu, LockoutPolicy } from './authenticate-psu.ts';
export { PsuIdentityErrors } from './psu-identity.errors.ts';
