import { AppError } from '../../platform/errors/index.ts';
import { FilePaymentErrors } from './file-payment.errors.ts';
import { filePaymentStatusOf, type FilePayment } from './file-payment-model.ts';
import type { PaymentFilesRepository } from './payment-files.repository.port.ts';

/** A file payment with each payment of its file; its status follows theirs. */
export async function findFilePayment(files: PaymentFilesRepository, id: string): Promise<FilePayment | undefined> {
  const stored = await files.findFilePayment(id);
  if (!stored) return undefined;
  const { payments } = stored;
  const statusUpdatedAt = payments.reduce((latest, p) => (p.statusUpdatedAt > latest ? p.statusUpdatedAt : latest), stored.createdAt);
  return {
    id: stored.id,
    consentId: stored.consentId,
    clientId: stored.clientId,
    psuId: stored.psuId,
    status: filePaymentStatusOf(payments),
    createdAt: stored.createdAt,
    statusUpdatedAt,
    payments,
  };
}

/** A file payment as its TPP sees it, with each payment of its file: an unknown id and another TPP's are the same NOT_FOUND. */
export async function getFilePaymentForClient(files: PaymentFilesRepository, id: string, clientId: string): Promise<FilePayment> {
  const filePayment = await findFilePayment(files, id);
  if (!filePayment || filePayment.clientId !== clientId) throw new AppError(FilePaymentErrors.NOT_FOUND);
  return filePayment;
}
