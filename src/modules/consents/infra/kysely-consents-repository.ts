import { sql, type ExpressionBuilder, type Updateable } from 'kysely';
import { executorOf, ownTables, prepared, transactionOf, type Db, type TxContext } from '../../../platform/db/index.ts';
import { encryptionContext, type EncryptedColumn, type PersonalDataCipher } from '../../../platform/keystore/index.ts';
import type { ConsentStatus } from '../consent-model.ts';
import type { ConsentsRepository } from '../consents.repository.port.ts';
import { toAccessScopeColumn } from './access-scope-column.ts';
import { toStoredConsent, type ConsentRow } from './consent-row.ts';
import { CONSENT_COLUMNS, type ConsentsTable, type ConsentsTables } from './consents.tables.ts';
import { toPaymentSummaryColumn } from './payment-summary-column.ts';

const trxOf = (tx: TxContext) => transactionOf<ConsentsTables>(tx);

/**
 * What a payment consent pays (creditor name and account) and which accounts an account-access
 * consent names are personal data: encrypted at rest when the module has a cipher (the platform
 * always gives one), each value bound to its row and column. JSON strings in their jsonb columns;
 * objects when stored before encryption (or without a cipher).
 */
export const CONSENT_ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = (['payment', 'access'] as const).map((column) => ({ table: 'consents', column, keys: ['id'], format: 'json' }));

type SealedColumn = 'payment' | 'access';

function personalColumns(cipher: PersonalDataCipher | undefined) {
  const context = (column: SealedColumn, id: string) => encryptionContext({ table: 'consents', column }, id);
  return {
    /** The stored JSON of a column's value. */
    seal: (column: SealedColumn, id: string, value: object | null) =>
      value === null || !cipher ? JSON.stringify(value) : cipher.encryptJson(value, context(column, id)),
    /** The consent a row stores, its encrypted columns opened. */
    async open(row: ConsentRow | undefined) {
      if (!row) return undefined;
      const opened = { ...row };
      for (const column of ['payment', 'access'] as const) {
        const value: unknown = row[column];
        if (typeof value !== 'string') continue;
        if (!cipher) throw new Error(`consents.${column} of ${row.id} is encrypted and the consents module has no cipher`);
        (opened as Record<string, unknown>)[column] = await cipher.decryptJson(value, context(column, row.id));
      }
      return toStoredConsent(opened);
    },
  };
}
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
async function change(tx: TxContext, of: ChangeOf, set: Updateable<ConsentsTable>, stored: (row: ConsentRow | undefined) => Promise<ReturnType<typeof toStoredConsent> | undefined>) {
  let update = trxOf(tx).updateTable('consents').set(set).where('id', '=', of.id).where('status', 'in', [...of.from]);
  if (of.clientId !== undefined) update = update.where('client_id', '=', of.clientId);
  if (of.unexpiredAt !== undefined) update = update.where(unexpiredAt(of.unexpiredAt));
  return stored(await update.returning(CONSENT_COLUMNS).modifyEnd(prepared()).executeTakeFirst());
}

/** Consents in the `consents` table, one row each; every status change is one conditional UPDATE. */
export function createKyselyConsentsRepository(database: Db, cipher?: PersonalDataCipher): ConsentsRepository {
  const db = ownTables<ConsentsTables>(database);
  const columns = personalColumns(cipher);
  const stored = columns.open;
  const storedAll = (rows: readonly ConsentRow[]) => Promise.all(rows.map(async (row) => (await stored(row))!));
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
          access: columns.seal('access', consent.id, consent.access ? toAccessScopeColumn(consent.access) : null),
          expires_at: consent.expiresAt,
          transaction_from: consent.access?.window.from ?? null,
          transaction_to: consent.access?.window.to ?? null,
          account_ids: JSON.stringify([...consent.accountIds]),
          payment: columns.seal('payment', consent.id, consent.payment ? toPaymentSummaryColumn(consent.payment) : null),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return (await stored(row))!;
    },

    async find(id, tx) {
      return stored(await executorOf<ConsentsTables>(database, tx).selectFrom('consents').select(CONSENT_COLUMNS).where('id', '=', id).modifyEnd(prepared()).executeTakeFirst());
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
        stored,
      ),

    reject: (tx, id, now) => change(tx, { id, from: ['awaiting-authorisation'] }, { status: 'rejected', status_updated_at: now }, stored),

    refuse: (tx, id, reason, now) =>
      change(tx, { id, from: ['authorised'] }, { status: 'rejected', status_updated_at: now, status_reason: JSON.stringify({ code: reason.code, description: reason.description }) }, stored),

    // An expired consent may still be revoked, as when its expiry was only computed on reading.
    revoke: (tx, id, by, now) => change(tx, { id, from: ['awaiting-authorisation', 'authorised', 'expired'] }, { status: 'revoked', status_updated_at: now, revoked_by: by }, stored),

    consume: (tx, id, clientId, now) => change(tx, { id, clientId, from: ['authorised'], unexpiredAt: now }, { status: 'consumed', status_updated_at: now }, stored),

    completeUpload: (tx, id, clientId, payment, now) =>
      change(tx, { id, clientId, from: ['awaiting-upload'] }, { status: 'awaiting-authorisation', status_updated_at: now, payment: columns.seal('payment', id, toPaymentSummaryColumn(payment)) }, stored),

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
      return storedAll(rows);
    },

    async listPaymentsOfPsu(psuId, limit) {
      const rows = await db
        .selectFrom('consents')
        .selectAll()
        .where('psu_id', '=', psuId)
        .where('status', 'in', ['authorised', 'consumed', 'revoked', 'expired'])
        .where('authorised_at', 'is not', null)
        // A consent of a payment kind carries its payment summary (encrypted, a JSON string; before encryption an object; others hold JSON null).
        .where(sql<boolean>`jsonb_typeof(payment) IN ('object', 'string')`)
        .orderBy(sql`authorised_at`, 'desc')
        .limit(limit)
        .execute();
      return storedAll(rows);
    },

    async listEndedOfPsu(psuId, now, limit) {
      const rows = await db
        .selectFrom('consents')
        .selectAll()
        .where('psu_id', '=', psuId)
        .where('authorised_at', 'is not', null)
        .where(sql<boolean>`coalesce(jsonb_typeof(payment), 'null') NOT IN ('object', 'string')`)
        .where((eb) => eb.or([eb('status', 'in', ['revoked', 'expired']), eb.and([eb('status', '=', 'authorised'), eb('expires_at', '<=', now)])]))
        .orderBy(sql`coalesce(least(expires_at, status_updated_at), status_updated_at)`, 'desc')
        .limit(limit)
        .execute();
      return storedAll(rows);
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
