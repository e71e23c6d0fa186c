import type { Operator, OperatorRole, SandboxOperatorLogin } from './operator.ts';

/** An operator with the secrets only authentication reads. */
export interface OperatorCredentials extends Operator {
  readonly passwordHash: string;
  readonly totpSecret: string;
}

/** Where operator logins are kept (the operators module's tables, migration 0051). */
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
}
