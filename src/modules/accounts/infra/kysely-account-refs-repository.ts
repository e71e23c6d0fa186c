import { ownTables, type Db } from '../../../platform/db/index.ts';
import type { AccountRefsRepository } from '../accounts.repository.port.ts';
import type { AccountsTables } from './accounts.tables.ts';

/** Public AccountIds in `ais_account_refs` (one row per account, both columns unique). */
export function createKyselyAccountRefsRepository(database: Db): AccountRefsRepository {
  const db = ownTables<AccountsTables>(database);
  return {
    async claimPublicIds(proposed) {
      if (proposed.size === 0) return new Map();
      // Concurrent first exposures race on the primary key; the loser reads the winner's id.
      await db
        .insertInto('ais_account_refs')
        .values([...proposed].map(([account_id, public_id]) => ({ account_id, public_id })))
        .onConflict((oc) => oc.column('account_id').doNothing())
        .execute();
      const rows = await db.selectFrom('ais_account_refs').select(['account_id', 'public_id']).where('account_id', 'in', [...proposed.keys()]).execute();
      return new Map(rows.map((row) => [row.account_id, row.public_id]));
    },
    async findAccountId(publicId) {
      return (await db.selectFrom('ais_account_refs').select('account_id').where('public_id', '=', publicId).executeTakeFirst())?.account_id;
    },
  };
}
