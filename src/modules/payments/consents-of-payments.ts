import type { ConsentsApi } from '../consents/index.ts';
import type { PaymentConsents } from './payment-consents.port.ts';

/** The consents module as payments use it: its API, joining payments' transactions through their `TxContext`. */
export function consentsOfPayments(consents: ConsentsApi): PaymentConsents {
  return {
    find: (id, now, tx) => consents.find(id, now, tx),
    getForClient: (id, clientId, kind, now) => consents.findForClient({ id, clientId, kind }, now),
    insert: async (tx, consent, now) => (await consents.stage(tx, consent, now)).id,
    consume: async (tx, id, clientId, now) => {
      await consents.consume(tx, id, clientId, now);
    },
    completeUpload: async (tx, id, clientId, summary, now) => {
      await consents.completeUpload(tx, id, clientId, summary, now);
    },
    lockAuthorised: async (tx, id, clientId, now) => {
      await consents.holdForPayment(tx, id, clientId, now);
    },
    forget: (id) => consents.forget(id).catch(() => undefined),
    revokeOfClient: async (id, clientId, kind, now) => {
      await consents.revokeForClient({ id, clientId, kind }, now);
    },
  };
}
