import type { Operator, OperatorRole, SandboxOperatorLogin } from './operator.ts';

/** An operator with the secrets only authentication reads. */
export interface OperatorCredentials extends Operator {
  readonly passwordHash: string;
  readonly totpSecret: string;
}

/** A WebAuthn credential an operator registered, as stored. */
export interface StoredOperatorPasskey {
  readonly credentialId: string;
  readonly operatorId: string;
  readonly name: string;
  /** COSE public key, base64url. */
  readonly publicKey: string;
  readonly counter: bigint;
  readonly transports: readonly string[];
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

export type NewOperatorPasskey = Omit<StoredOperatorPasskey, 'createdAt' | 'lastUsedAt'>;

/** Where operator logins are kept (the operators module's tables, migrations 0051 and 0053). */
export interface OperatorsRepository {
  findByUsername(username: string): Promise<OperatorCredentials | undefined>;
  findById(id: string): Promise<OperatorCredentials | undefined>;
  list(): Promise<Operator[]>;
  /** False when the username is taken. */
  add(operator: OperatorCredentials): Promise<boolean>;
  setRole(id: string, role: OperatorRole): Promise<Operator | undefined>;
  setDisabled(id: string, disabledAt: Date | null): Promise<Operator | undefined>;
  /** Adds operators and their published logins in one transaction (sandbox mode). */
  addSandboxLogins(logins: ReadonlyArray<{ readonly operator: OperatorCredentials; readonly login: SandboxOperatorLogin }>): Promise<void>;
  listSandboxLogins(): Promise<SandboxOperatorLogin[]>;
  /** The operator's passkeys, oldest first. */
  listPasskeys(operatorId: string): Promise<StoredOperatorPasskey[]>;
  /** How many passkeys each operator has (operators without one are absent). */
  countPasskeys(): Promise<Map<string, number>>;
  /** The passkey with this credential id, whoever's it is. */
  findPasskey(credentialId: string): Promise<StoredOperatorPasskey | undefined>;
  /** False when the credential id is already registered (to anyone). */
  addPasskey(passkey: NewOperatorPasskey): Promise<boolean>;
  /** Removes the passkey only if it is this operator's; returns it then. */
  removePasskey(operatorId: string, credentialId: string): Promise<StoredOperatorPasskey | undefined>;
  /** Records a use: the authenticator's new signature counter and when. */
  recordPasskeyUse(credentialId: string, counter: bigint, at: Date): Promise<void>;
}
