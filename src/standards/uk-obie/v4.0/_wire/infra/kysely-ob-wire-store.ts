import { requestHash, type AlongsideWrite } from '../../../../../modules/idempotency/index.ts';
import { ownTables, prepared, transactionOf, type Db } from '../../../../../platform/db/index.ts';
import { encryptionContext, type EncryptedColumn, type PersonalDataCipher } from '../../../../../platform/keystore/index.ts';
import type { ObWireBody, ObWireResource, ObWireStore } from '../wire-store.ts';
import type { ObWireTables } from './ob-wire.tables.ts';

/**
 * The request bodies are the TPPs' words about PSUs — names, account identifiers, addresses,
 * references — so they are encrypted at rest, each bound to its row (decision 0012d).
 */
export const OB_WIRE_ENCRYPTED_COLUMN: EncryptedColumn = { table: 'ob_wire_bodies', column: 'body', keys: ['resource_type', 'resource_id'], format: 'json' };

/** The wire store on the platform database, in the facade's own table `ob_wire_bodies`. */
export function createObWireStore(db: Db, cipher: PersonalDataCipher): ObWireStore {
  const contextOf = (resource: string, id: string) => encryptionContext(OB_WIRE_ENCRYPTED_COLUMN, resource, id);
  const keep = (resource: ObWireResource, body: unknown, now: Date): AlongsideWrite => async (tx, resourceId) => {
    await transactionOf<ObWireTables>(tx)
      .insertInto('ob_wire_bodies')
      .values({ resource_type: resource, resource_id: resourceId, body: cipher.encryptJson(body, contextOf(resource, resourceId)), created_at: now })
      .modifyEnd(prepared())
      .execute();
  };
  return {
    received: (resource, body, now) => ({ requestHash: requestHash(body), alongside: keep(resource, body, now), body: body as ObWireBody }),
    keep,
    find: async (resource, id) => {
      const row = await ownTables<ObWireTables>(db)
        .selectFrom('ob_wire_bodies')
        .select('body')
        .where('resource_type', '=', resource)
        .where('resource_id', '=', id)
        .modifyEnd(prepared())
        .executeTakeFirst();
      if (row === undefined) return undefined;
      // Bodies kept before encryption was on are objects; the re-encryption pass encrypts them.
      return (await cipher.decryptJson(row.body, contextOf(resource, id))) as ObWireBody;
    },
  };
}
