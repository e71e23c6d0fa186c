import { requestHash, type AlongsideWrite } from '../../../../../modules/idempotency/index.ts';
import { ownTables, transactionOf, type Db } from '../../../../../platform/db/index.ts';
import type { ObWireBody, ObWireResource, ObWireStore } from '../wire-store.ts';
import type { ObWireTables } from './ob-wire.tables.ts';

/** The wire store on the platform database, in the facade's own table `ob_wire_bodies`. */
export function createObWireStore(db: Db): ObWireStore {
  const keep = (resource: ObWireResource, body: unknown, now: Date): AlongsideWrite => async (tx, resourceId) => {
    await transactionOf<ObWireTables>(tx)
      .insertInto('ob_wire_bodies')
      .values({ resource_type: resource, resource_id: resourceId, body: JSON.stringify(body), created_at: now })
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
        .executeTakeFirst();
      return row?.body;
    },
  };
}
