import { sql } from 'kysely';
import { ownTables, type Db } from '../../../platform/db/index.ts';
import { encryptionContext, type EncryptedColumn, type PersonalDataCipher } from '../../../platform/keystore/index.ts';
import type { AccountProjection } from '../account-projection.ts';
import type { AccountReadModelRepository } from '../accounts.repository.port.ts';
import { decodeCached, encodeCached } from '../read-cache-codec.ts';
import type { AccountsTables } from './accounts.tables.ts';

/**
 * `account_read_model`: a refresh takes a ticket per account before it reads the core and writes
 * only over an older ticket's projection, three statements for any number of accounts. Every
 * change of the core is followed by a refresh that takes its ticket after the change committed, so
 * whichever refresh stores last read the core after it: the row converges on the core without a
 * lock held while the core is read.
 */
/** The projections hold account names, identifiers and holders' names: encrypted at rest, each bound to its account. */
export const ACCOUNT_READ_MODEL_ENCRYPTED_COLUMN: EncryptedColumn = { table: 'account_read_model', column: 'projection', keys: ['account_id'], format: 'text' };

export function createKyselyAccountReadModelRepository(database: Db, cipher: PersonalDataCipher): AccountReadModelRepository {
  const db = ownTables<AccountsTables>(database);
  const contextOf = (accountId: string) => encryptionContext(ACCOUNT_READ_MODEL_ENCRYPTED_COLUMN, accountId);
  const sealed = (accountId: string, projection: AccountProjection): string => cipher.encrypt(encodeCached(projection), contextOf(accountId));
  return {
    async find(accountId) {
      const row = await db.selectFrom('account_read_model').select('projection').where('account_id', '=', accountId).executeTakeFirst();
      return row?.projection ? decodeCached<AccountProjection>(await cipher.decrypt(row.projection, contextOf(accountId))) : undefined;
    },
    async refresh(accountIds, project) {
      // In account order, so that two refreshes of the same accounts take their row locks in the same order.
      const ids = [...new Set(accountIds)].sort();
      if (ids.length === 0) return;
      const tickets = await db
        .insertInto('account_read_model')
        .values(ids.map((id) => ({ account_id: id, requested: 1n })))
        .onConflict((oc) => oc.column('account_id').doUpdateSet((eb) => ({ requested: eb('account_read_model.requested', '+', 1n) })))
        .returning(['account_id', 'requested'])
        .execute();
      const projections = await project(ids);
      const stored = tickets.flatMap(({ account_id, requested }) => {
        const projection = projections.get(account_id);
        return projection ? [sql`(${account_id}, ${requested}::bigint, ${sealed(account_id, projection)})`] : [];
      });
      if (stored.length === 0) return;
      await sql`
        WITH locked AS (SELECT account_id FROM account_read_model WHERE account_id IN (${sql.join(ids)}) ORDER BY account_id FOR UPDATE)
        UPDATE account_read_model AS m SET written = v.ticket, projection = v.projection, projected_at = now()
        FROM (VALUES ${sql.join(stored)}) AS v(account_id, ticket, projection), locked
        WHERE m.account_id = v.account_id AND locked.account_id = m.account_id AND m.written < v.ticket`.execute(db);
    },
    async storeIfAbsent(accountId, projection) {
      await db
        .insertInto('account_read_model')
        .values({ account_id: accountId, projection: sealed(accountId, projection), projected_at: new Date() })
        .onConflict((oc) => oc.column('account_id').doNothing())
        .execute();
    },
  };
}
