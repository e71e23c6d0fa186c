import { sql, type ExpressionBuilder, type Updateable } from 'kysely';
import { executorOf, ownTables, transactionOf, type Db, type TxContext } from '../../../platform/db/index.ts';
import type { ConsentStatus } from '../consent-model.ts';
import type { ConsentsRepository } from '../consents.repository.port.ts';
import { toAccessScopeColumn } from './access-scope-column.ts';
import { toStoredConsent, type ConsentRow } from './consent-row.ts';
import type { ConsentsTable, ConsentsTables } from './consents.tables.ts';
import { toPaymentSummaryColumn } from './payment-summary-column.ts';

const trxOf = (tx: TxContext) => transactionOf<ConsentsTables>(tx);
const stored = (row: ConsentRow | undefined) => row && toStoredConsent(row);
/** Not expired at `now`: no expiry, or a later one. */
const unexpiredAt = (now: Date) => (eb: ExpressionBuilder<ConsentsTables, 'consents'>) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]);

/** Which consent a status change applies to: its id, the statuses it may leave, its client and that it is unexpired, where given. */
interface ChangeOf {
  readonly id: string;
  readonly from: readonly ConsentStatus[];
  readonly clientId?: string;
  readonly unexpiredAt?: Date;
}

/** One status change as one conditional UPDATE: the changed consent, or undefined when the consent was not in a state to change from. */
async function change(tx: TxContext, of: ChangeOf, set: Updateable<ConsentsTable>) {
  let update = trxOf(tx).updateTable('consents').set(set).where('id', '=', of.id).where('status', 'in', [...of.from]);
  if (of.clientId !== undefined) update = update.where('client_id', '=', of.clientId);
  if (of.unexpiredAt !== undefined) update = update.where(unexpiredAt(of.unexpiredAt));
  return stored(await update.returningAll().executeTakeFirst());
}

/** Consents in the `consents` table, one row each; every status change is one conditional UPDATE. */
export function createKyselyConsentsRepository(database: Db): ConsentsRepository {
  const db = ownTables<ConsentsTables>(database);
  return {
    async insert(tx, consent) {
      const row = await trxOf(tx)
        .insertInto('consents')
        .values({
          id: consent.id,
          kind: consent.kind,
          client_id: consent.clientId,
          status: consent.status,
          created_at: consent.createdAt,
          status_updated_at: consent.createdAt,
          access: JSON.stringify(consent.access ? toAccessScopeColumn(consent.access) : null),
          expires_at: consent.expiresAt,
          transaction_from: consent.access?.window.from ?? null,
          transaction_to: consent.access?.window.to ?? null,
          account_ids: JSON.stringify([...consent.accountIds]),
          payment: JSON.stringify(consent.payment ? toPaymentSummaryColumn(consent.payment) : null),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toStoredConsent(row);
    },

    async find(id, tx) {
      return stored(await executorOf<ConsentsTables>(database, tx).selectFrom('consents').selectAll().where('id', '=', id).executeTakeFirst());
    },

    async findByGrant(grantId) {
      return stored(await db.selectFrom('consents').selectAll().where('grant_id', '=', grantId).executeTakeFirst());
    },

    async lock(tx, id) {
      return stored(await trxOf(tx).selectFrom('consents').selectAll().where('id', '=', id).forUpdate().executeTakeFirst());
    },

    authorise: (tx, id, authorisation, now) =>
      change(
        tx,
        { id, from: ['awaiting-authorisation'], unexpiredAt: now },
        {
          status: 'authorised',
          status_updated_at: now,
          authorised_at: now,
          psu_id: authorisation.psuId,
          party_id: authorisation.partyId,
          account_ids: JSON.stringify([...authorisation.accountIds]),
          grant_id: authorisation.grantId,
          sca_binding: authorisation.scaBinding,
        },
      ),

    reject: (tx, id, now) => change(tx, { id, from: ['awaiting-authorisation'] }, { status: 'rejected', status_updated_at: now }),

    // An expired consent may still be revoked, as when its expiry was only computed on reading.
    revoke: (tx, id, by, now) => change(tx, { id, from: ['awaiting-authorisation', 'authorised', 'expired'] }, { status: 'revoked', status_updated_at: now, revoked_by: by }),

    consume: (tx, id, clientId, now) => change(tx, { id, clientId, from: ['authorised'], unexpiredAt: now }, { status: 'consumed', status_updated_at: now }),

    completeUpload: (tx, id, clientId, payment, now) =>
      change(tx, { id, clientId, from: ['awaiting-upload'] }, { status: 'awaiting-authorisation', status_updated_at: now, payment: JSON.stringify(toPaymentSummaryColumn(payment)) }),

    async expireDue(tx, now, limit) {
      const trx = trxOf(tx);
      const due = trx
        .selectFrom('consents')
        .select('id')
        .where('status', '=', 'authorised')
        .where('expires_at', '<=', now)
        .orderBy('expires_at')
        .limit(limit)
        .forUpdate()
        .skipLocked();
      const rows = await trx
        .updateTable('consents')
        .set({ status: 'expired', status_updated_at: sql<Date>`expires_at` })
        .where('id', 'in', due)
        .where('status', '=', 'authorised')
        .returning(['id', 'client_id', 'expires_at'])
        .execute();
      return rows.map((row) => ({ id: row.id, clientId: row.client_id, expiredAt: row.expires_at ?? now }));
    },

    async listAuthorisedOfPsu(psuId) {
      const rows = await db.selectFrom('consents').selectAll().where('psu_id', '=', psuId).where('status', '=', 'authorised').orderBy(sql`authorised_at`, 'desc').execute();
      return rows.map(toStoredConsent);
    },

    async listPaymentsOfPsu(psuId, limit) {
      const rows = await db
        .selectFrom('consents')
        .selectAll()
        .where('psu_id', '=', psuId)
        .where('status', 'in', ['authorised', 'consumed', 'revoked', 'expired'])
        .where('authorised_at', 'is not', null)
        // A consent of a payment kind carries its payment summary (a JSON object; others hold JSON null).
        .where(sql<boolean>`jsonb_typeof(payment) = 'object'`)
        .orderBy(sql`authorised_at`, 'desc')
        .limit(limit)
        .execute();
      return rows.map(toStoredConsent);
    },

    async listEndedOfPsu(psuId, now, limit) {
      const rows = await db
        .selectFrom('consents')
        .selectAll()
        .where('psu_id', '=', psuId)
        .where('authorised_at', 'is not', null)
        .where(sql<boolean>`jsonb_typeof(payment) is distinct from 'object'`)
        .where((eb) => eb.or([eb('status', 'in', ['revoked', 'expired']), eb.and([eb('status', '=', 'authorised'), eb('expires_at', '<=', now)])]))
        .orderBy(sql`coalesce(least(expires_at, status_updated_at), status_updated_at)`, 'desc')
        .limit(limit)
        .execute();
      return rows.map(toStoredConsent);
    },

    async kindsOf(ids) {
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom('consents').select(['id', 'kind']).where('id', 'in', [...new Set(ids)]).execute();
      return new Map(rows.map((row) => [row.id, row.kind]));
    },

    async listAuthorisedAccessTo(accountIds) {
      if (accountIds.length === 0) return [];
      const rows = await db
        .selectFrom('consents')
        .select(['id', 'client_id', 'account_ids'])
        .where('status', '=', 'authorised')
        .where('kind', '=', 'account-access')
        .where(sql<boolean>`account_ids ?| ${[...new Set(accountIds)]}::text[]`)
        .execute();
      return rows.map((row) => ({ id: row.id, clientId: row.client_id, accountIds: row.account_ids }));
    },
  };
}
