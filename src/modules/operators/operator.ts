/** What an operator of the console may do (docs/operations-console.md). */
export const OPERATOR_ROLES = ['viewer', 'operator', 'admin'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** A member of the bank's staff with a console login. */
export interface Operator {
  readonly id: string;
  readonly username: string;
  readonly role: OperatorRole;
  readonly createdAt: Date;
  /** Set when an admin disabled the login: it can no longer log in. */
  readonly disabledAt: Date | null;
}

const RANK: Record<OperatorRole, number> = { viewer: 0, operator: 1, admin: 2 };

/** Roles are ordered: viewer reads; operator also acts (TPPs, alerts); admin also manages operators. */
export function roleAllows(role: OperatorRole, needed: OperatorRole): boolean {
  return RANK[role] >= RANK[needed];
}

export const isOperatorRole = (value: unknown): value is OperatorRole => typeof value === 'string' && (OPERATOR_ROLES as readonly string[]).includes(value);

/** A published sandbox login (DESIGN.md §3: `GET /sandbox/v1/operators`). */
export interface SandboxOperatorLogin {
  readonly username: string;
  readonly password: string;
  /** Base32, RFC 6238, SHA-1, 6 digits, 30 s — as the sandbox PSUs'. */
  readonly totpSecret: string;
  readonly role: OperatorRole;
}
