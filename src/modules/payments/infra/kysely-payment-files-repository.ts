import { ownTables, transactionOf, type Db, type TxContext } from '../../../platform/db/index.ts';
import { encryptionContext, type EncryptedColumn, type PersonalDataCipher } from '../../../platform/keystore/index.ts';
import { decryptedOrderRows } from './order-personal-data.ts';
import type { PaymentFilesRepository, StoredPaymentFileEntry } from '../payment-files.repository.port.ts';
import { toDomesticPayment } from './payment-row.ts';
import type { PaymentsTables } from './payments.tables.ts';

/**
 * An uploaded payment file and its entries list every payee's name, account and reference:
 * encrypted at rest (decision 0012d), each bound to its file's consent.
 */
export const PAYMENT_FILE_ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  { table: 'payment_files', column: 'content', keys: ['consent_id'], format: 'bytes' },
  { table: 'payment_files', column: 'entries', keys: ['consent_id'], format: 'json' },
];
const [CONTENT, ENTRIES] = PAYMENT_FILE_ENCRYPTED_COLUMNS as [EncryptedColumn, EncryptedColumn];

/**
 * Payment files in `payment_files` (declared at staging, the file and its entries once uploaded),
 * file payments in `file_payments`, their payments (rows of `payments`) in `file_payment_items`.
 */
export function createKyselyPaymentFilesRepository(database: Db, cipher: PersonalDataCipher): PaymentFilesRepository {
  const db = ownTables<PaymentsTables>(database);
  const trx = (tx: TxContext) => transactionOf<PaymentsTables>(tx);
  /** The entries as stored (an encrypted JSON string; an array from before encryption), decrypted. */
  const entriesOf = async (consentId: string, stored: unknown): Promise<StoredPaymentFileEntry[]> =>
    ((await cipher.decryptJson(stored, encryptionContext(ENTRIES, consentId))) ?? []) as StoredPaymentFileEntry[];
  return {
    async declare(tx, file) {
      await trx(tx)
        .insertInto('payment_files')
        .values({
          consent_id: file.consentId,
          file_type: file.fileType,
          file_hash: file.fileHash,
          file_reference: file.fileReference,
          number_of_transactions: file.numberOfTransactions,
          control_sum: file.controlSum,
          requested_execution_at: file.requestedExecutionAt,
          debtor_account_id: file.debtorAccountId,
          content: null,
          content_type: null,
          entries: null,
          uploaded_at: null,
        })
        .execute();
    },

    async findDeclared(consentId) {
      const row = await db.selectFrom('payment_files').selectAll().where('consent_id', '=', consentId).executeTakeFirst();
      return (
        row && {
          consentId: row.consent_id,
          fileType: row.file_type,
          fileHash: row.file_hash,
          fileReference: row.file_reference,
          numberOfTransactions: row.number_of_transactions,
          controlSum: row.control_sum,
          requestedExecutionAt: row.requested_execution_at,
          debtorAccountId: row.debtor_account_id,
        }
      );
    },

    async storeUpload(tx, consentId, upload, now) {
      await trx(tx)
        .updateTable('payment_files')
        .set({
          content: cipher.encryptBytes(upload.content, encryptionContext(CONTENT, consentId)),
          content_type: upload.contentType,
          entries: cipher.encryptJson(upload.entries, encryptionContext(ENTRIES, consentId)),
          uploaded_at: now,
        })
        .where('consent_id', '=', consentId)
        .where('content', 'is', null)
        .execute();
    },

    async findUpload(consentId) {
      const row = await db.selectFrom('payment_files').select(['content', 'content_type']).where('consent_id', '=', consentId).executeTakeFirst();
      return row?.content && row.content_type ? { content: await cipher.decryptBytes(row.content, encryptionContext(CONTENT, consentId)), contentType: row.content_type } : undefined;
    },

    async findEntries(consentId) {
      const row = await db.selectFrom('payment_files').select(['entries', 'requested_execution_at']).where('consent_id', '=', consentId).executeTakeFirst();
      return { entries: await entriesOf(consentId, row?.entries), requestedExecutionAt: row?.requested_execution_at ?? null };
    },

    async insertFilePayment(tx, filePayment, paymentIds) {
      const { id } = filePayment;
      await trx(tx)
        .insertInto('file_payments')
        .values({ id, consent_id: filePayment.consentId, client_id: filePayment.clientId, psu_id: filePayment.psuId, created_at: filePayment.createdAt })
        .execute();
      if (paymentIds.length === 0) return;
      await trx(tx)
        .insertInto('file_payment_items')
        .values(paymentIds.map((paymentId, position) => ({ file_payment_id: id, position, payment_id: paymentId })))
        .execute();
    },

    async findFilePayment(id) {
      const row = await db
        .selectFrom('file_payments')
        .innerJoin('payment_files', 'payment_files.consent_id', 'file_payments.consent_id')
        .selectAll('file_payments')
        .select('payment_files.entries')
        .where('file_payments.id', '=', id)
        .executeTakeFirst();
      if (!row) return undefined;
      const rows = await db
        .selectFrom('file_payment_items')
        .innerJoin('payments', 'payments.id', 'file_payment_items.payment_id')
        .selectAll('payments')
        .where('file_payment_items.file_payment_id', '=', id)
        .orderBy('file_payment_items.position')
        .execute();
      return {
        id: row.id,
        consentId: row.consent_id,
        clientId: row.client_id,
        psuId: row.psu_id,
        createdAt: row.created_at,
        payments: (await decryptedOrderRows('payments', rows, cipher)).map(toDomesticPayment),
        entries: await entriesOf(row.consent_id, row.entries),
      };
    },

    async filePaymentIdOfConsent(consentId) {
      return (await db.selectFrom('file_payments').select('id').where('consent_id', '=', consentId).executeTakeFirst())?.id;
    },

    async filePaymentsOf(paymentIds) {
      if (paymentIds.length === 0) return new Map();
      const rows = await db.selectFrom('file_payment_items').select(['payment_id', 'file_payment_id']).where('payment_id', 'in', [...new Set(paymentIds)]).execute();
      return new Map(rows.map((row) => [row.payment_id, row.file_payment_id]));
    },
  };
}
