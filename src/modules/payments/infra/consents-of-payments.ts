import type { Cache } from '../../../platform/cache/index.ts';
import { transactionOf, type DatabaseSchema, type Db } from '../../../platform/db/index.ts';
import { AppError } from '../../../platform/errors/index.ts';
import {
  completeConsentUpload,
  ConsentErrors,
  consumeConsent,
  findConsent,
  forgetConsent,
  getConsentForClient,
  insertConsent,
  revokeConsentOfClient,
} from '../../consents/index.ts';
import type { PaymentConsents } from '../payment-consents.port.ts';

/**
 * The consents module as payments use it. The consents module still takes the database handle and
 * a Kysely transaction (its move to an API object of its own is under way): this adapter is the one
 * place payments hand them over, opening payments' transaction context for it.
 */
export function consentsOfPayments(db: Db, cache: Cache): PaymentConsents {
  return {
    find: (id, now, tx) => findConsent(tx ? transactionOf<DatabaseSchema>(tx) : db, id, now),
    getForClient: (id, clientId, kind, now) => getConsentForClient(db, id, clientId, kind, now),
    insert: async (tx, consent, now) => (await insertConsent(transactionOf<DatabaseSchema>(tx), consent, now)).id,
    consume: async (tx, id, clientId, now) => {
      await consumeConsent(transactionOf<DatabaseSchema>(tx), id, clientId, now);
    },
    completeUpload: async (tx, id, clientId, summary, now) => {
      await completeConsentUpload(transactionOf<DatabaseSchema>(tx), id, clientId, summary, now);
    },
    async lockAuthorised(tx, id, clientId, now) {
      // The consent's row (the consents module's), read here until that module offers the lock.
      const locked = await transactionOf<DatabaseSchema>(tx).selectFrom('consents').select(['status', 'expires_at', 'client_id']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!locked || locked.client_id !== clientId || locked.status !== 'authorised') throw new AppError(ConsentErrors.NOT_AUTHORISED);
      if (locked.expires_at !== null && locked.expires_at <= now) throw new AppError(ConsentErrors.EXPIRED);
    },
    forget: (id) => forgetConsent(cache, id).catch(() => undefined),
    revokeOfClient: async (id, clientId, kind, now) => {
      await revokeConsentOfClient(db, cache, id, clientId, kind, now);
    },
  };
}
