import type { FilePayment, FilePaymentStatus, PaymentStatus } from '../../../../modules/payments/index.ts';
import { obPaymentStatusCode } from '../_wire/ob-payment-status.ts';
import { obDateTime } from '../account-access-consents/account-access-consents.schema.ts';
import { obRequestSchema } from '../ob-request-validation.ts';
import { obPaymentStatusDetails } from '../payment-initiation/ob-payment-order-wire.ts';
import { obDebtorAccount, type ObDomesticInitiation } from '../payment-initiation/ob-payment-wire.ts';
import type { PisSchema } from '../ob-wire-types.ts';
import type { Wired } from '../_wire/wire-store.ts';

/** `POST /file-payments` body: the official OBWriteFile2 (closed to unknown fields). */
export const submitFilePaymentBody = obRequestSchema('payment-initiation', 'OBWriteFile2');

/** OBWriteFile2 as the schema guarantees it after validation. */
export type ObWriteFile2 = PisSchema<'OBWriteFile2'>;

/**
 * OB v4.0 `OBWriteFileResponse3` Data.Status (`ExternalPaymentTransactionStatus1Code`): PDNG while
 * a payment of the file awaits execution, INFA when every one was rejected, else INCO.
 */
const FILE_STATUS_CODES: Record<FilePaymentStatus, 'PDNG' | 'INCO' | 'INFA'> = {
  pending: 'PDNG',
  completed: 'INCO',
  failed: 'INFA',
};

const rejectedOf = (filePayment: FilePayment) => filePayment.payments.filter((p) => p.status === 'rejected');

/**
 * `OBWriteFileResponse3`: the submission's Initiation echoed exactly, the file payment's status and
 * the debtor account the PSU paid from. A completed file some of whose payments were rejected says
 * so in StatusReason; which ones, and why, is in the report file.
 */
export function toObFileResponse(filePayment: Wired<FilePayment>, self: string) {
  const { Data } = filePayment.wire as unknown as ObWriteFile2;
  const debtor = filePayment.payments[0]?.debtor;
  const rejected = rejectedOf(filePayment).length;
  const partial = filePayment.status === 'completed' && rejected > 0;
  return {
    Data: {
      FilePaymentId: filePayment.id,
      ConsentId: filePayment.consentId,
      CreationDateTime: obDateTime(filePayment.createdAt),
      Status: FILE_STATUS_CODES[filePayment.status],
      StatusUpdateDateTime: obDateTime(filePayment.statusUpdatedAt),
      ...(partial
        ? { StatusReason: [{ StatusReasonDescription: `${rejected} of the ${filePayment.payments.length} payments of the file were rejected: see its report file` }] }
        : {}),
      Initiation: Data.Initiation,
      ...(debtor ? { Debtor: obDebtorAccount(debtor) } : {}),
    },
    Links: { Self: self },
    Meta: {},
  };
}

/**
 * A file payment with each of its payments as the file holds it (an OB domestic Initiation), in
 * file order: read again from the uploaded file, which is kept as it was received.
 */
export type FilePaymentAsFiled = Wired<FilePayment> & { readonly initiations: readonly ObDomesticInitiation[] };

/** `OBWritePaymentDetailsResponse1`: one status detail per payment of the file, in file order. */
export function toObFilePaymentDetailsResponse(filePayment: FilePaymentAsFiled, self: string) {
  return {
    Data: { PaymentStatus: filePayment.payments.flatMap((p, index) => obPaymentStatusDetails(p, filePayment.initiations[index]!.LocalInstrument)) },
    Links: { Self: self },
    Meta: {},
  };
}

/**
 * The report file of a file payment (`GET /file-payments/{FilePaymentId}/report-file`, JSON; the
 * official `File` schema leaves its format to the bank, docs/ob-apis.md documents it): the file
 * payment's status and counts, then each payment of the file in file order, identified as the file
 * did, with its status (`ExternalPaymentTransactionStatus1Code`) and, if rejected, the ISO 20022
 * reason.
 */
export function toObFileReport(filePayment: FilePaymentAsFiled) {
  const { Data } = filePayment.wire as unknown as ObWriteFile2;
  const count = (statuses: readonly PaymentStatus[]) => filePayment.payments.filter((p) => statuses.includes(p.status)).length;
  return {
    Data: {
      FilePaymentId: filePayment.id,
      ConsentId: filePayment.consentId,
      Status: FILE_STATUS_CODES[filePayment.status],
      StatusUpdateDateTime: obDateTime(filePayment.statusUpdatedAt),
      FileType: Data.Initiation.FileType,
      FileHash: Data.Initiation.FileHash,
      ...(Data.Initiation.FileReference ? { FileReference: Data.Initiation.FileReference } : {}),
      NumberOfTransactions: String(filePayment.payments.length),
      Summary: {
        Pending: count(['pending']),
        Accepted: count(['booked', 'settled']),
        Rejected: count(['rejected']),
      },
      Payments: filePayment.payments.map((payment, index) => {
        const instruction = filePayment.initiations[index]!;
        return {
          PaymentTransactionId: payment.id,
          InstructionIdentification: instruction.InstructionIdentification,
          EndToEndIdentification: instruction.EndToEndIdentification,
          InstructedAmount: instruction.InstructedAmount,
          CreditorAccount: instruction.CreditorAccount,
          Status: obPaymentStatusCode(payment),
          StatusUpdateDateTime: obDateTime(payment.statusUpdatedAt),
          ...(payment.statusReason ? { StatusReason: { StatusReasonCode: payment.statusReason.code, StatusReasonDescription: payment.statusReason.description } } : {}),
        };
      }),
    },
  };
}
