/**
 * Operator accounts of the operations console (`/ops`, docs/operations-console.md): the bank's
 * staff, their password and one-time code, their passkeys, their role (viewer, operator, admin).
 */
export { createOperatorsModule, operatorsApiOver } from './create-operators-module.ts';
export type { NewOperatorLogin, OperatorsApi, OperatorsModuleDeps } from './create-operators-module.ts';
export { OPERATOR_ROLES, isOperatorRole, roleAllows } from './operator.ts';
export type { Operator, OperatorRole, SandboxOperatorLogin } from './operator.ts';
export { OperatorsErrors, PasskeyRefused } from './operators.errors.ts';
export type { PasskeyRefusal } from './operators.errors.ts';
export type { OperatorPasskey } from './operator-passkeys.ts';
export type { OperatorsTables } from './infra/operators.tables.ts';
