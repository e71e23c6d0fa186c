import type { Db } from '../../../platform/db/index.ts';
import { recordEvent } from '../../../platform/events/index.ts';
import { CoreAccountChangedV1 } from '../../core-events.ts';
import type { AccountStatus } from './ledger.tables.ts';

/**
 * The bank blocks (`Disabled`), closes (`Deleted`) or re-opens (`Enabled`) an account: its status
 * changes and the core's `AccountChanged` event is recorded in the same transaction, so the read
 * model and the TPPs whose consents hold the account learn of it. Returns false for no such account.
 */
export async function changeAccountStatus(db: Db, accountId: string, status: Exclude<AccountStatus, 'Pending'>): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const changed = await trx.updateTable('bank_accounts').set({ status }).where('id', '=', accountId).where('status', '!=', status).returning('id').executeTakeFirst();
    if (!changed) return (await trx.selectFrom('bank_accounts').select('id').where('id', '=', accountId).executeTakeFirst()) !== undefined;
    await recordEvent(trx, CoreAccountChangedV1, { aggregateId: accountId, tppClientId: null, payload: { accountIds: [accountId] } });
    return true;
  });
}
