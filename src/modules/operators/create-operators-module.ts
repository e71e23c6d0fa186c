import { randomBytes, randomUUID } from 'node:crypto';
import type { Cache } from '../../platform/cache/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { base32Encode, hashPassword, PUBLISHED_PASSWORD_HASH_PARAMS, verifyPassword, verifyTotp, type LoginGuard, type RelyingParty } from '../psu-identity/index.ts';
import { operatorPasskeysOver, type OperatorPasskeysApi } from './operator-passkeys.ts';
import { OPERATOR_ROLES, type Operator, type OperatorRole, type SandboxOperatorLogin } from './operator.ts';
import { OperatorsErrors } from './operators.errors.ts';
import type { OperatorCredentials, OperatorsRepository } from './operators.repository.port.ts';
import { createKyselyOperatorsRepository } from './infra/kysely-operators-repository.ts';

export interface OperatorsModuleDeps {
  readonly db: Db;
  /** The PSU login throttle, shared: operator attempts are counted under keys of their own (`ops:`). */
  readonly loginGuard: LoginGuard;
  /** The shared cache: passkey challenges wait there for their answer. */
  readonly cache: Cache;
  /** The WebAuthn relying party of operator passkeys: the bank's public origin. */
  readonly relyingParty: RelyingParty;
}

/** A new operator and the TOTP secret to give them once (for their authenticator app). */
export interface NewOperatorLogin {
  readonly operator: Operator;
  readonly totpSecret: string;
}

export interface OperatorsApi extends OperatorPasskeysApi {
  /** First factor; throws OPERATORS.INVALID_CREDENTIALS (unknown, wrong or disabled alike) or LoginThrottled. */
  authenticatePassword(username: string, password: string, source: string): Promise<Operator>;
  /** Second factor (RFC 6238, each code once); throws OPERATORS.INVALID_ONE_TIME_CODE or LoginThrottled. */
  verifyOneTimeCode(operatorId: string, code: string, source: string, now?: Date): Promise<Operator>;
  /** The operator now (a session re-reads it on every request, so a disabled login or a new role applies at once). */
  find(operatorId: string): Promise<Operator | undefined>;
  /** An enabled operator by username (single sign-on: the bank's OpenID provider authenticates, this table authorises). */
  findEnabledByUsername(username: string): Promise<Operator | undefined>;
  list(): Promise<Operator[]>;
  create(input: { readonly username: string; readonly password: string; readonly role: OperatorRole }): Promise<NewOperatorLogin>;
  setRole(operatorId: string, role: OperatorRole): Promise<Operator>;
  setDisabled(operatorId: string, disabled: boolean, now?: Date): Promise<Operator>;
  /** Seeds one published login per role when there are none (sandbox mode); returns the logins. */
  seedSandboxLogins(): Promise<SandboxOperatorLogin[]>;
  /** The published sandbox logins (DESIGN.md §3: `GET /sandbox/v1/operators`). */
  listSandboxLogins(): Promise<SandboxOperatorLogin[]>;
}

// Compared against when the username is unknown, so every failure costs the same hash (as PSU logins).
const DUMMY_HASH = ['scrypt', 2 ** 17, 8, 1, randomBytes(16).toString('base64url'), randomBytes(32).toString('base64url')].join('$');
const newTotpSecret = () => base32Encode(randomBytes(20));
const USERNAME = /^[a-z0-9][a-z0-9.-]{2,63}$/;
// Operator and PSU attempts share the guard's counters' space; the prefix keeps them apart.
const guardKey = (value: string) => `ops:${value}`;

/** Console logins of the bank's staff: password + one-time code or passkeys, roles (docs/operations-console.md). */
export function operatorsApiOver(records: OperatorsRepository, deps: Omit<OperatorsModuleDeps, 'db'>): OperatorsApi {
  const guard = deps.loginGuard;
  const required = async (operatorId: string) => {
    const found = await records.findById(operatorId);
    if (!found) throw new AppError(OperatorsErrors.NOT_FOUND);
    return found;
  };
  const publicOf = ({ passwordHash: _hash, totpSecret: _secret, ...operator }: OperatorCredentials): Operator => operator;
  return {
    ...operatorPasskeysOver(records, deps, publicOf),
    async authenticatePassword(username, password, source) {
      const name = username.trim().toLowerCase();
      const attempt = await guard.admitPassword(guardKey(name), source);
      const found = await records.findByUsername(name);
      const matches = await guard.hash(() => verifyPassword(password, found?.passwordHash ?? DUMMY_HASH));
      if (!found || !matches || found.disabledAt) throw new AppError(OperatorsErrors.INVALID_CREDENTIALS);
      await attempt.succeeded();
      return publicOf(found);
    },
    async verifyOneTimeCode(operatorId, code, source, now = new Date()) {
      const attempt = await guard.admitOneTimeCode(guardKey(operatorId), source);
      const found = await records.findById(operatorId);
      const step = found && !found.disabledAt ? verifyTotp(found.totpSecret, code.trim(), now) : undefined;
      // RFC 6238 §5.2: a code is accepted once, across every instance (the shared cache).
      if (step === undefined || !(await guard.cache.setIfAbsent(`ops-totp-used:${operatorId}:${step}`, '1', 120))) {
        throw new AppError(OperatorsErrors.INVALID_ONE_TIME_CODE);
      }
      await attempt.succeeded();
      return publicOf(found!);
    },
    async find(operatorId) {
      const found = await records.findById(operatorId);
      return found && publicOf(found);
    },
    async findEnabledByUsername(username) {
      const found = await records.findByUsername(username.trim().toLowerCase());
      return found && !found.disabledAt ? publicOf(found) : undefined;
    },
    list: () => records.list(),
    async create({ username, password, role }) {
      const name = username.trim().toLowerCase();
      if (!USERNAME.test(name) || password.length < 12 || !OPERATOR_ROLES.includes(role)) throw new AppError(OperatorsErrors.INVALID_OPERATOR);
      const totpSecret = newTotpSecret();
      const operator: OperatorCredentials = { id: randomUUID(), username: name, role, createdAt: new Date(), disabledAt: null, passwordHash: await guard.hash(() => hashPassword(password)), totpSecret };
      if (!(await records.add(operator))) throw new AppError(OperatorsErrors.USERNAME_TAKEN);
      return { operator: publicOf(operator), totpSecret };
    },
    async setRole(operatorId, role) {
      await required(operatorId);
      return (await records.setRole(operatorId, role))!;
    },
    async setDisabled(operatorId, disabled, now = new Date()) {
      await required(operatorId);
      return (await records.setDisabled(operatorId, disabled ? now : null))!;
    },
    async seedSandboxLogins() {
      const existing = await records.listSandboxLogins();
      if (existing.length > 0) return existing;
      // Published passwords: a work factor protects nothing (as the sandbox PSUs', password-hash.ts).
      const logins = await Promise.all(
        OPERATOR_ROLES.map(async (role) => {
          const login: SandboxOperatorLogin = { username: `ops-${role}`, password: randomBytes(12).toString('base64url'), totpSecret: newTotpSecret(), role };
          const operator: OperatorCredentials = { id: randomUUID(), username: login.username, role, createdAt: new Date(), disabledAt: null, passwordHash: await hashPassword(login.password, PUBLISHED_PASSWORD_HASH_PARAMS), totpSecret: login.totpSecret };
          return { operator, login };
        }),
      );
      await records.addSandboxLogins(logins);
      return logins.map(({ login }) => login);
    },
    listSandboxLogins: () => records.listSandboxLogins(),
  };
}

/** The operators module on the platform database. */
export function createOperatorsModule(deps: OperatorsModuleDeps): OperatorsApi {
  return operatorsApiOver(createKyselyOperatorsRepository(deps.db), deps);
}
