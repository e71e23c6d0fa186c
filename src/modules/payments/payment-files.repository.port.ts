import type { TxContext } from '../../platform/db/index.ts';
import type { DomesticPayment } from './payment-model.ts';

/** The file a file payment consent declares at staging. */
export interface DeclaredPaymentFile {
  readonly consentId: string;
  /** The standard's file type (OB `FileType`). */
  readonly fileType: string;
  /** The canonical base64 SHA-256 of the file. */
  readonly fileHash: string;
  readonly fileReference: string | null;
  readonly numberOfTransactions: number | null;
  /** The declared total, a decimal string. */
  readonly controlSum: string | null;
  readonly requestedExecutionAt: Date | null;
  /** The debtor account the TPP named, if any. */
  readonly debtorAccountId: string | null;
}

/** One payment of an uploaded file as it is kept (minor units as a string). */
export interface StoredPaymentFileEntry {
  readonly amountMinor: string;
  readonly currency: string;
  readonly creditorName: string;
  readonly creditorScheme: string;
  readonly creditorIdentification: string;
  readonly reference: string | null;
}

/** A file as the TPP uploaded it. */
export interface UploadedPaymentFile {
  readonly content: Buffer;
  readonly contentType: string;
}

/** A file payment as stored: its payments in the order of the file, and the file's entries. */
export interface StoredFilePayment {
  readonly id: string;
  readonly consentId: string;
  readonly clientId: string;
  readonly psuId: string;
  readonly createdAt: Date;
  readonly payments: DomesticPayment[];
  readonly entries: StoredPaymentFileEntry[];
}

/** What file payments need from storage: the declared and uploaded files, and the file payments made of them. */
export interface PaymentFilesRepository {
  /** Keeps the declared file with its consent, in the consent's transaction. */
  declare(tx: TxContext, file: DeclaredPaymentFile): Promise<void>;
  findDeclared(consentId: string): Promise<DeclaredPaymentFile | undefined>;
  /** Stores the uploaded file and its entries, unless a file was uploaded already. */
  storeUpload(tx: TxContext, consentId: string, upload: UploadedPaymentFile & { readonly entries: readonly StoredPaymentFileEntry[] }, now: Date): Promise<void>;
  /** The uploaded file, if any. */
  findUpload(consentId: string): Promise<UploadedPaymentFile | undefined>;
  /** The uploaded file's entries (none before the upload) and its requested execution date. */
  findEntries(consentId: string): Promise<{ readonly entries: StoredPaymentFileEntry[]; readonly requestedExecutionAt: Date | null }>;
  /** Stores a file payment and its payments (already stored), in the order of the file. */
  insertFilePayment(
    tx: TxContext,
    filePayment: { readonly id: string; readonly consentId: string; readonly clientId: string; readonly psuId: string; readonly createdAt: Date },
    paymentIds: readonly string[],
  ): Promise<void>;
  findFilePayment(id: string): Promise<StoredFilePayment | undefined>;
  /** The file payment submitted under a consent, if any (one per consent). */
  filePaymentIdOfConsent(consentId: string): Promise<string | undefined>;
  /** The file payment each of these payments belongs to, for those that belong to one. */
  filePaymentsOf(paymentIds: readonly string[]): Promise<Map<string, string>>;
}
