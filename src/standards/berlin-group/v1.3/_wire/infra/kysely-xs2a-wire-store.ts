import { ownTables, transactionOf, type Db } from '../../../../../platform/db/index.ts';
import { encryptionContext, type EncryptedColumn, type PersonalDataCipher } from '../../../../../platform/keystore/index.ts';
import type { Xs2aWireBody, Xs2aWireStore } from '../xs2a-wire-store.ts';
import type { Xs2aWireTables } from './xs2a-wire.tables.ts';

/** The bodies name PSUs' accounts and payees: encrypted at rest, each bound to its row (decision 0012d). */
export const XS2A_WIRE_ENCRYPTED_COLUMN: EncryptedColumn = { table: 'xs2a_wire_bodies', column: 'body', keys: ['resource_type', 'resource_id'], format: 'json' };

/** The wire store on the platform database, in the facade's own table `xs2a_wire_bodies`. */
export function createXs2aWireStore(db: Db, cipher: PersonalDataCipher): Xs2aWireStore {
  const contextOf = (resource: string, id: string) => encryptionContext(XS2A_WIRE_ENCRYPTED_COLUMN, resource, id);
  return {
    keep: (resource, body, now) => async (tx, resourceId) => {
      await transactionOf<Xs2aWireTables>(tx)
        .insertInto('xs2a_wire_bodies')
        .values({ resource_type: resource, resource_id: resourceId, body: cipher.encryptJson(body, contextOf(resource, resourceId)), created_at: now })
        .execute();
    },
    find: async (resource, id) => {
      const row = await ownTables<Xs2aWireTables>(db).selectFrom('xs2a_wire_bodies').select('body').where('resource_type', '=', resource).where('resource_id', '=', id).executeTakeFirst();
      return row && ((await cipher.decryptJson(row.body, contextOf(resource, id))) as Xs2aWireBody);
    },
  };
}
