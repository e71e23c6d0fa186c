import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Cache } from '../../platform/cache/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { authenticatePassword, findPsu, verifyOneTimeCode, type AttemptSource, type AuthenticatedPsu } from './authenticate-psu.ts';
import { createKyselyPsuIdentityRepository } from './infra/kysely-psu-identity-repository.ts';
import type { LoginGuard } from './login-guard.ts';
import { finishPasskeyAuthentication, finishPasskeyRegistration, listPasskeys, startPasskeyAuthentication, startPasskeyRegistration, type RelyingParty } from './passkeys.ts';
import type { PsuIdentityRepository } from './psu-identity.repository.port.ts';

/** Who the PSU is and how they prove it: password, one-time code, passkeys. */
export interface PsuIdentityApi {
  /** The first factor, throttled per username and source; INVALID_CREDENTIALS or LoginThrottled otherwise. */
  authenticatePassword(credentials: { username: string; password: string }, attempt: AttemptSource): Promise<AuthenticatedPsu>;
  /** The one-time code, each time step usable once; INVALID_ONE_TIME_CODE or LoginThrottled otherwise. */
  verifyOneTimeCode(psuId: string, code: string, attempt: AttemptSource & { now?: Date }): Promise<void>;
  findPsu(psuId: string): Promise<AuthenticatedPsu | undefined>;
  listPasskeys(psuId: string): Promise<Array<{ credentialId: string; createdAt: Date; lastUsedAt: Date | null }>>;
  startPasskeyRegistration(psuId: string): Promise<PublicKeyCredentialCreationOptionsJSON>;
  finishPasskeyRegistration(psuId: string, response: RegistrationResponseJSON): Promise<void>;
  /** `context` ties the challenge to one authorisation request. */
  startPasskeyAuthentication(psuId: string, context: string): Promise<PublicKeyCredentialRequestOptionsJSON>;
  finishPasskeyAuthentication(psuId: string, response: AuthenticationResponseJSON, context: string): Promise<void>;
}

export interface PsuIdentityModuleDeps {
  readonly db: Db;
  /** Short-lived state: passkey challenges, one-time code steps used. */
  readonly cache: Cache;
  readonly loginGuard: LoginGuard;
  readonly relyingParty: RelyingParty;
}

/** The PSU identity module over its repository (tests give one of their own). */
export function psuIdentityApiOver(psus: PsuIdentityRepository, deps: Omit<PsuIdentityModuleDeps, 'db'>): PsuIdentityApi {
  const { cache, loginGuard, relyingParty } = deps;
  return {
    authenticatePassword: (credentials, attempt) => authenticatePassword(psus, loginGuard, credentials, attempt),
    verifyOneTimeCode: (psuId, code, attempt) => verifyOneTimeCode(psus, loginGuard, psuId, code, attempt),
    findPsu: (psuId) => findPsu(psus, psuId),
    listPasskeys: (psuId) => listPasskeys(psus, psuId),
    startPasskeyRegistration: (psuId) => startPasskeyRegistration(psus, cache, psuId, relyingParty),
    finishPasskeyRegistration: (psuId, response) => finishPasskeyRegistration(psus, cache, psuId, response, relyingParty),
    startPasskeyAuthentication: (psuId, context) => startPasskeyAuthentication(psus, cache, psuId, relyingParty, context),
    finishPasskeyAuthentication: (psuId, response, context) => finishPasskeyAuthentication(psus, cache, psuId, response, relyingParty, context),
  };
}

/** The PSU identity module on the platform database. */
export function createPsuIdentityModule(deps: PsuIdentityModuleDeps): PsuIdentityApi {
  return psuIdentityApiOver(createKyselyPsuIdentityRepository(deps.db), deps);
}
