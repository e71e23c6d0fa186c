import type { Selectable } from 'kysely';
import { ownTables, type Db } from '../../../platform/db/index.ts';
import type { Operator, SandboxOperatorLogin } from '../operator.ts';
import type { OperatorCredentials, OperatorsRepository, StoredOperatorPasskey } from '../operators.repository.port.ts';
import type { OperatorPasskeysTable, OperatorsTable, OperatorsTables } from './operators.tables.ts';

const operatorOf = (row: Selectable<OperatorsTable>): Operator => ({
  id: row.id,
  username: row.username,
  role: row.role,
  createdAt: row.created_at,
  disabledAt: row.disabled_at,
});

const credentialsOf = (row: Selectable<OperatorsTable>): OperatorCredentials => ({ ...operatorOf(row), passwordHash: row.password_hash, totpSecret: row.totp_secret });

const passkeyOf = (row: Selectable<OperatorPasskeysTable>): StoredOperatorPasskey => ({
  credentialId: row.credential_id,
  operatorId: row.operator_id,
  name: row.name,
  publicKey: row.public_key,
  counter: BigInt(row.counter),
  transports: row.transports,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

const rowOf = (operator: OperatorCredentials) => ({
  id: operator.id,
  username: operator.username,
  password_hash: operator.passwordHash,
  totp_secret: operator.totpSecret,
  role: operator.role,
  created_at: operator.createdAt,
  disabled_at: operator.disabledAt,
});

/** Operators in `operators`, the sandbox's published logins in `sandbox_operators`, passkeys in `operator_passkeys`. */
export function createKyselyOperatorsRepository(database: Db): OperatorsRepository {
  const db = ownTables<OperatorsTables>(database);
  return {
    async findByUsername(username) {
      const row = await db.selectFrom('operators').selectAll().where('username', '=', username).executeTakeFirst();
      return row && credentialsOf(row);
    },
    async findById(id) {
      const row = await db.selectFrom('operators').selectAll().where('id', '=', id).executeTakeFirst();
      return row && credentialsOf(row);
    },
    list: async () => (await db.selectFrom('operators').selectAll().orderBy('username').execute()).map(operatorOf),
    async add(operator) {
      const added = await db.insertInto('operators').values(rowOf(operator)).onConflict((oc) => oc.column('username').doNothing()).returning('id').executeTakeFirst();
      return added !== undefined;
    },
    async setRole(id, role) {
      const row = await db.updateTable('operators').set({ role }).where('id', '=', id).returningAll().executeTakeFirst();
      return row && operatorOf(row);
    },
    async setDisabled(id, disabledAt) {
      const row = await db.updateTable('operators').set({ disabled_at: disabledAt }).where('id', '=', id).returningAll().executeTakeFirst();
      return row && operatorOf(row);
    },
    async addSandboxLogins(logins) {
      await db.transaction().execute(async (tx) => {
        for (const [position, { operator, login }] of logins.entries()) {
          await tx.insertInto('operators').values(rowOf(operator)).execute();
          await tx.insertInto('sandbox_operators').values({ username: login.username, password: login.password, position }).execute();
        }
      });
    },
    listSandboxLogins: async (): Promise<SandboxOperatorLogin[]> =>
      (
        await db
          .selectFrom('sandbox_operators')
          .innerJoin('operators', 'operators.username', 'sandbox_operators.username')
          .select(['sandbox_operators.username', 'sandbox_operators.password', 'operators.totp_secret', 'operators.role'])
          .orderBy('sandbox_operators.position')
          .execute()
      ).map((row) => ({ username: row.username, password: row.password, totpSecret: row.totp_secret, role: row.role })),
    listPasskeys: async (operatorId) =>
      (await db.selectFrom('operator_passkeys').selectAll().where('operator_id', '=', operatorId).orderBy('created_at').orderBy('credential_id').execute()).map(passkeyOf),
    async countPasskeys() {
      const rows = await db.selectFrom('operator_passkeys').select(['operator_id', (eb) => eb.fn.countAll<string>().as('count')]).groupBy('operator_id').execute();
      return new Map(rows.map((row) => [row.operator_id, Number(row.count)]));
    },
    async findPasskey(credentialId) {
      const row = await db.selectFrom('operator_passkeys').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
      return row && passkeyOf(row);
    },
    async addPasskey(passkey) {
      const added = await db
        .insertInto('operator_passkeys')
        .values({ credential_id: passkey.credentialId, operator_id: passkey.operatorId, name: passkey.name, public_key: passkey.publicKey, counter: passkey.counter, transports: JSON.stringify(passkey.transports) })
        .onConflict((oc) => oc.column('credential_id').doNothing())
        .returning('credential_id')
        .executeTakeFirst();
      return added !== undefined;
    },
    async removePasskey(operatorId, credentialId) {
      const row = await db.deleteFrom('operator_passkeys').where('credential_id', '=', credentialId).where('operator_id', '=', operatorId).returningAll().executeTakeFirst();
      return row && passkeyOf(row);
    },
    async recordPasskeyUse(credentialId, counter, at) {
      await db.updateTable('operator_passkeys').set({ counter, last_used_at: at }).where('credential_id', '=', credentialId).execute();
    },
  };
}
