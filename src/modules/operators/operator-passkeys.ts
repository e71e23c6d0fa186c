import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Cache } from '../../platform/cache/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { authenticationOptions, keepChallenge, registrationOptions, takeChallenge, verifiedAuthentication, verifiedRegistration, type RelyingParty } from '../psu-identity/index.ts';
import type { Operator } from './operator.ts';
import { OperatorsErrors, PasskeyRefused } from './operators.errors.ts';
import type { OperatorCredentials, OperatorsRepository, StoredOperatorPasskey } from './operators.repository.port.ts';

/** A passkey of an operator, as the console lists it: its credential id and the name its operator gave it. */
export interface OperatorPasskey {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

/**
 * Operator passkeys (W3C WebAuthn Level 2, discoverable credentials): an operator signed in
 * registers them; signing in with one needs no username (the authenticator offers the bank's
 * passkeys, the credential names its operator). User verification is required, so a passkey is
 * possession and a PIN or biometric — two factors, in place of password and one-time code.
 * Each ceremony's challenge is kept in the shared cache under its `context` (the console session)
 * for five minutes and taken once.
 */
export interface OperatorPasskeysApi {
  listPasskeys(operatorId: string): Promise<OperatorPasskey[]>;
  /** How many passkeys each operator has (operators without one are absent). */
  passkeyCounts(): Promise<Map<string, number>>;
  /** Throws OPERATORS.INVALID_PASSKEY_NAME, or NOT_FOUND for an unknown or disabled operator. */
  startPasskeyRegistration(operatorId: string, name: string, context: string): Promise<PublicKeyCredentialCreationOptionsJSON>;
  /** Throws PasskeyRefused (`challenge`, `verification`, `credential-registered`). */
  finishPasskeyRegistration(operatorId: string, response: RegistrationResponseJSON, context: string): Promise<OperatorPasskey>;
  /** Only the operator's own; throws OPERATORS.PASSKEY_NOT_FOUND otherwise. */
  removePasskey(operatorId: string, passkeyId: string): Promise<OperatorPasskey>;
  startPasskeyLogin(context: string): Promise<PublicKeyCredentialRequestOptionsJSON>;
  /** The operator the passkey is of; throws PasskeyRefused, one message whatever the reason. */
  finishPasskeyLogin(response: AuthenticationResponseJSON, context: string): Promise<{ operator: Operator; passkey: OperatorPasskey }>;
}

export interface OperatorPasskeysDeps {
  /** Where challenges wait for their answer: the shared cache. */
  readonly cache: Cache;
  readonly relyingParty: RelyingParty;
}

const registrationKey = (context: string) => `ops-passkey-registration:${context}`;
const loginKey = (context: string) => `ops-passkey-login:${context}`;
const NAME_LENGTH = 64;
// Letters, marks, numbers, punctuation, symbols and spaces: no control or format characters.
const NAME = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]+$/u;

const passkeyOf = ({ credentialId, name, createdAt, lastUsedAt }: StoredOperatorPasskey): OperatorPasskey => ({ id: credentialId, name, createdAt, lastUsedAt });

export function operatorPasskeysOver(records: OperatorsRepository, deps: OperatorPasskeysDeps, publicOf: (operator: OperatorCredentials) => Operator): OperatorPasskeysApi {
  const { cache, relyingParty: rp } = deps;
  return {
    listPasskeys: async (operatorId) => (await records.listPasskeys(operatorId)).map(passkeyOf),
    passkeyCounts: () => records.countPasskeys(),

    async startPasskeyRegistration(operatorId, name, context) {
      const trimmed = name.trim();
      if (trimmed.length === 0 || [...trimmed].length > NAME_LENGTH || !NAME.test(trimmed)) throw new AppError(OperatorsErrors.INVALID_PASSKEY_NAME);
      const operator = await records.findById(operatorId);
      if (!operator || operator.disabledAt) throw new AppError(OperatorsErrors.NOT_FOUND);
      // Discoverable (resident) credentials: the login asks for no username (WebAuthn §6.2.2).
      const options = await registrationOptions(rp, { id: operator.id, name: operator.username }, await records.listPasskeys(operatorId), 'required');
      await keepChallenge(cache, registrationKey(context), { challenge: options.challenge, operatorId, name: trimmed });
      return options;
    },

    async finishPasskeyRegistration(operatorId, response, context) {
      const pending = await takeChallenge<{ challenge: string; operatorId: string; name: string }>(cache, registrationKey(context));
      if (!pending || pending.operatorId !== operatorId) throw new PasskeyRefused('challenge');
      const credential = await verifiedRegistration(response, pending.challenge, rp);
      if (!credential) throw new PasskeyRefused('verification');
      const passkey = { ...credential, operatorId, name: pending.name };
      if (!(await records.addPasskey(passkey))) throw new PasskeyRefused('credential-registered');
      return { id: passkey.credentialId, name: passkey.name, createdAt: new Date(), lastUsedAt: null };
    },

    async removePasskey(operatorId, passkeyId) {
      const removed = await records.removePasskey(operatorId, passkeyId);
      if (!removed) throw new AppError(OperatorsErrors.PASSKEY_NOT_FOUND);
      return passkeyOf(removed);
    },

    async startPasskeyLogin(context) {
      // No allowCredentials: the authenticator offers its discoverable credentials for this RP,
      // and the bank does not say which usernames have passkeys.
      const options = await authenticationOptions(rp);
      await keepChallenge(cache, loginKey(context), { challenge: options.challenge });
      return options;
    },

    async finishPasskeyLogin(response, context) {
      // The challenge first: whatever else fails, it is spent.
      const pending = await takeChallenge(cache, loginKey(context));
      if (!pending) throw new PasskeyRefused('challenge');
      const stored = await records.findPasskey(String(response?.id ?? ''));
      const owner = stored && (await records.findById(stored.operatorId));
      if (!stored || !owner) throw new PasskeyRefused('unknown-credential');
      const operator = publicOf(owner);
      // §7.2 step 6: a user handle, when present, must be the credential's owner's.
      const userHandle = response.response?.userHandle;
      if (userHandle !== undefined && Buffer.from(String(userHandle), 'base64url').toString() !== owner.id) throw new PasskeyRefused('user-handle', operator);
      const counter = await verifiedAuthentication(response, pending.challenge, rp, stored);
      if (counter === undefined) throw new PasskeyRefused('verification', operator);
      if (owner.disabledAt) throw new PasskeyRefused('disabled', operator);
      const at = new Date();
      await records.recordPasskeyUse(stored.credentialId, counter, at);
      return { operator, passkey: { ...passkeyOf(stored), lastUsedAt: at } };
    },
  };
}
