import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import { FilePaymentErrors } from './file-payment.errors.ts';
import { filePaymentStatusOf, type FilePayment } from './file-payment-model.ts';
import { toDomesticPayment } from './payment-row.ts';
import type { StoredPaymentFileEntry } from './upload-payment-file.ts';

export async function findFilePayment(db: Db, id: string): Promise<FilePayment | undefined> {
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
  const payments = rows.map(toDomesticPayment);
  const statusUpdatedAt = payments.reduce((latest, p) => (p.statusUpdatedAt > latest ? p.statusUpdatedAt : latest), row.created_at);
  return {
    id: row.id,
    consentId: row.consent_id,
    clientId: row.client_id,
    psuId: row.psu_id,
    status: filePaymentStatusOf(payments),
    createdAt: row.created_at,
    statusUpdatedAt,
    payments,
    instructions: ((row.entries ?? []) as unknown as StoredPaymentFileEntry[]).map((entry) => entry.instruction),
  };
}

/** A file payment as its TPP sees it, with each payment of its file: an unknown id and another TPP's are the same NOT_FOUND. */
export async function getFilePaymentForClient(db: Db, id: string, clientId: string): Promise<FilePayment> {
  const filePayment = await findFilePayment(db, id);
  if (!filePayment || filePayment.clientId !== clientId) throw new AppError(FilePaymentErrors.NOT_FOUND);
  return filePayment;
}
