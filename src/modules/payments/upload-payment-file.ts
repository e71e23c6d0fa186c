import { createHash } from 'node:crypto';
import { parseAmount, type CoreBanking } from '../../core/index.ts';
import { AppError, isAppError } from '../../platform/errors/index.ts';
import type { Consent, PaymentSummary } from '../consents/index.ts';
import { checkIdempotencyKey, requestHash } from '../idempotency/index.ts';
import { FilePaymentErrors } from './file-payment.errors.ts';
import type { FilePaymentLimits, PaymentFileReader } from './file-payment-model.ts';
import type { PaymentFilesRepository, StoredPaymentFileEntry } from './payment-files.repository.port.ts';
import { paymentSummaryOf } from './stage-domestic-payment-consent.ts';
import type { PaymentStores } from './payment-stores.ts';

/** Idempotency scope of `POST /file-payment-consents/{ConsentId}/file`. */
export const PAYMENT_FILE_UPLOADS_OPERATION = 'file-payment-consents-file';

/** The creditor scheme a file's summary names: the file itself, identified by its SHA-256 (hex). */
export const PAYMENT_FILE_SCHEME = 'PaymentFile';

export interface PaymentFileUpload {
  readonly clientId: string;
  readonly consentId: string;
  readonly idempotencyKey: string | readonly string[] | undefined;
  /** The file exactly as received. */
  readonly content: Buffer;
  readonly contentType: string;
  /** The standard's reader of its file types. */
  readonly read: PaymentFileReader;
}

export interface UploadPaymentFileDeps extends PaymentStores {
  readonly core: Pick<CoreBanking, 'findAccountByIdentifier'>;
  readonly limits: FilePaymentLimits;
}

/** An error of a payment of the file, naming the payment's place in the file. */
function atEntry(error: unknown, index: number): unknown {
  if (!isAppError(error)) return error;
  return new AppError(error.definition, {
    details: error.details.map((d) => ({ ...d, item: index })),
  });
}

/**
 * The TPP uploads the file of its AwaitingUpload consent (OB v4.0 `POST
 * /file-payment-consents/{ConsentId}/file`). The file must be exactly the one declared: its SHA-256
 * the consent's FileHash, its payments (read by the standard's reader for the file type, each a
 * payment the bank can make) as many as NumberOfTransactions and totalling ControlSum, in one
 * currency, from one debtor account (the consent's, if it names one). In one idempotent
 * transaction the file and its payments are stored and the consent, now carrying the summary the
 * PSU will be shown (the total, the number of payments, the file's hash as the payee so the SCA
 * binding covers every payee), becomes AwaitingAuthorisation. A second upload is refused; a repeat
 * with the same key and file answers as the first.
 */
export async function uploadPaymentFile(deps: UploadPaymentFileDeps, upload: PaymentFileUpload, now: Date = new Date()): Promise<Consent> {
  const key = checkIdempotencyKey(upload.idempotencyKey);
  // Another TPP's consent, or another kind, is NOT_FOUND, before anything of the file is looked at.
  await deps.consents.getForClient(upload.consentId, upload.clientId, 'file-payment', now);
  const declared = await deps.files.findDeclared(upload.consentId);
  if (!declared) throw new Error(`file payment consent ${upload.consentId} has no declared file`);
  if (upload.content.length > deps.limits.maxFileBytes) throw new AppError(FilePaymentErrors.FILE_TOO_LARGE);
  const sha256 = createHash('sha256').update(upload.content).digest();
  if (sha256.toString('base64') !== declared.fileHash) throw new AppError(FilePaymentErrors.FILE_HASH_MISMATCH, { details: [{ field: 'instruction.file.hash' }] });

  const entries = upload.read(upload.content, declared.fileType);
  if (entries.length === 0) throw new AppError(FilePaymentErrors.FILE_INVALID, { details: [{ message: 'The file holds no payment' }] });
  if (entries.length > deps.limits.maxTransactions) {
    throw new AppError(FilePaymentErrors.NUMBER_OF_TRANSACTIONS_INVALID, { details: [{ message: `A file may hold at most ${deps.limits.maxTransactions} payments` }] });
  }
  if (declared.numberOfTransactions !== null && entries.length !== declared.numberOfTransactions) {
    throw new AppError(FilePaymentErrors.TRANSACTIONS_MISMATCH, { details: [{ field: 'instruction.file.count' }] });
  }
  // Reads through the core port happen before the transaction: inside it, only `tx` may be used.
  const summaries: PaymentSummary[] = [];
  for (const [index, entry] of entries.entries()) {
    summaries.push(await paymentSummaryOf(deps.core, entry.terms).catch((error: unknown) => Promise.reject(atEntry(error, index))));
  }
  const currency = summaries[0]!.currency;
  if (summaries.some((s) => s.currency !== currency)) throw new AppError(FilePaymentErrors.CURRENCIES_MIXED);
  const debtors = new Set(summaries.map((s) => s.debtorAccountId).filter((id): id is string => id !== null));
  if (declared.debtorAccountId !== null) debtors.add(declared.debtorAccountId);
  if (debtors.size > 1) throw new AppError(FilePaymentErrors.DEBTOR_MISMATCH);
  const total = summaries.reduce((sum, s) => sum + s.amountMinor, 0n);
  if (declared.controlSum !== null) {
    let controlSum: bigint | undefined;
    try {
      controlSum = parseAmount(declared.controlSum, currency);
    } catch {
      controlSum = undefined;
    }
    if (controlSum !== total) throw new AppError(FilePaymentErrors.CONTROL_SUM_MISMATCH, { details: [{ field: 'instruction.file.control-sum' }] });
  }
  const summary: PaymentSummary = {
    amountMinor: total,
    currency,
    creditorName: `The ${entries.length} payees of the file`,
    creditorScheme: PAYMENT_FILE_SCHEME,
    creditorIdentification: sha256.toString('hex'),
    reference: declared.fileReference,
    debtorAccountId: [...debtors][0] ?? null,
    file: { numberOfTransactions: entries.length },
  };
  const stored: StoredPaymentFileEntry[] = summaries.map((s) => ({
    amountMinor: s.amountMinor.toString(),
    currency: s.currency,
    creditorName: s.creditorName,
    creditorScheme: s.creditorScheme,
    creditorIdentification: s.creditorIdentification,
    reference: s.reference,
  }));

  const outcome = await deps.idempotency.withIdempotency(
    { clientId: upload.clientId, operation: PAYMENT_FILE_UPLOADS_OPERATION, key, requestHash: requestHash({ consentId: upload.consentId, sha256: sha256.toString('base64') }) },
    async (tx) => {
      await deps.consents.completeUpload(tx, upload.consentId, upload.clientId, summary, now);
      await deps.files.storeUpload(tx, upload.consentId, { content: upload.content, contentType: upload.contentType, entries: stored }, now);
      return upload.consentId;
    },
    now,
  );
  if (outcome.created) await deps.consents.forget(upload.consentId);
  const consent = await deps.consents.find(upload.consentId, now);
  if (!consent) throw new Error(`consent ${upload.consentId} is gone`);
  return consent;
}

/** The file of a file payment consent as its TPP uploaded it (another TPP's consent is NOT_FOUND). */
export async function getPaymentFileForClient(
  deps: { readonly consents: PaymentStores['consents']; readonly files: PaymentFilesRepository },
  consentId: string,
  clientId: string,
  now: Date = new Date(),
): Promise<{ content: Buffer; contentType: string }> {
  await deps.consents.getForClient(consentId, clientId, 'file-payment', now);
  const file = await deps.files.findUpload(consentId);
  if (!file) throw new AppError(FilePaymentErrors.FILE_NOT_UPLOADED);
  return file;
}
