import type { DomesticPayment, DomesticPaymentTerms } from './payment-model.ts';

/** What the TPP declares of its payment file when staging the consent, in neutral terms. */
export interface PaymentFileTerms {
  /** The standard's file type (OB `FileType`): which reader the file is read with. */
  readonly fileType: string;
  /** base64 SHA-256 of the file to be uploaded (OB `FileHash`). */
  readonly fileHash: string;
  readonly fileReference: string | null;
  /** How many payments the file holds (OB `NumberOfTransactions`), when declared. */
  readonly numberOfTransactions?: number | undefined;
  /** Their total as a decimal (OB `ControlSum`), when declared. */
  readonly controlSum?: string | undefined;
  /** When the debtor account is to be debited; absent (or past), at once. */
  readonly requestedExecutionAt?: Date | undefined;
  /** Set when the TPP names the account to debit; otherwise the PSU chooses it. */
  readonly debtor?: { readonly scheme: string; readonly identification: string } | undefined;
}

/**
 * One payment of a file, as the standard's reader finds it. The file itself is kept as uploaded:
 * a standard that echoes its payments as the file holds them reads them from it again.
 */
export interface PaymentFileEntry {
  readonly terms: DomesticPaymentTerms;
}

/**
 * Reads the payments of a file of `fileType` (the standard knows its formats). Throws
 * `FilePaymentErrors.FILE_INVALID` for a file that is not of its type.
 */
export type PaymentFileReader = (content: Buffer, fileType: string) => PaymentFileEntry[];

/** Limits on payment files, from configuration. */
export interface FilePaymentLimits {
  readonly maxFileBytes: number;
  readonly maxTransactions: number;
}

/**
 * The status of a file payment, derived from its payments: pending while any awaits execution;
 * then failed if every one was rejected, else completed (a partial rejection shows per payment).
 */
export type FilePaymentStatus = 'pending' | 'completed' | 'failed';

/** A file payment in the neutral model: the submission, and each payment of its file in file order. */
export interface FilePayment {
  readonly id: string;
  readonly consentId: string;
  readonly clientId: string;
  readonly psuId: string;
  readonly status: FilePaymentStatus;
  readonly createdAt: Date;
  /** When the last of its payments changed status (its creation while none has). */
  readonly statusUpdatedAt: Date;
  readonly payments: readonly DomesticPayment[];
}

export function filePaymentStatusOf(payments: readonly DomesticPayment[]): FilePaymentStatus {
  if (payments.some((p) => p.status === 'pending')) return 'pending';
  return payments.every((p) => p.status === 'rejected') ? 'failed' : 'completed';
}
