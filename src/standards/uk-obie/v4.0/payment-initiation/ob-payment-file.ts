import type { ValidateFunction } from 'ajv';
import { FilePaymentErrors, type PaymentFileEntry, type PaymentFileReader } from '../../../../modules/payments/index.ts';
import { AppError, isAppError } from '../../../../platform/errors/index.ts';
import { obRequestSchema, obValidatorCompiler } from '../ob-request-validation.ts';
import { domesticTermsOf, type ObDomesticInitiation } from './ob-payment-wire.ts';

/**
 * OB v4.0 `FileType` of the JSON payment file: `{"Data": {"DomesticPayments": [Initiation, …]}}`,
 * each entry the Initiation of an OB domestic payment (`OBWriteDomestic2` Data.Initiation), as in
 * the OB file payments usage examples. The ISO 20022 `UK.OBIE.pain.001.001.08` file type is not
 * accepted: its consent is refused at staging (400 U002 at Data.Initiation.FileType).
 */
export const OB_PAYMENT_FILE_TYPE = 'UK.OBIE.PaymentInitiation.4.0';

const { $ref: domesticPayment } = obRequestSchema('payment-initiation', 'OBWriteDomestic2') as { $ref: string };

// The file is read with the same validator (and closed objects) as request bodies; each payment
// is checked against the official schema of a domestic payment's Initiation.
const validateFile = obValidatorCompiler({
  schema: {
    type: 'object',
    required: ['Data'],
    additionalProperties: false,
    properties: {
      Data: {
        type: 'object',
        required: ['DomesticPayments'],
        additionalProperties: false,
        properties: { DomesticPayments: { type: 'array', minItems: 1, items: { $ref: `${domesticPayment}/properties/Data/properties/Initiation` } } },
      },
    },
  },
  method: 'POST',
  url: '/file-payment-consents/:ConsentId/file',
  httpPart: 'body',
}) as ValidateFunction;

/** `/Data/DomesticPayments/0/InstructedAmount` as the OB error `Path` `Data.DomesticPayments[0].InstructedAmount`. */
function pathOf(instancePath: string, member?: unknown): string {
  const segments = instancePath.split('/').filter(Boolean);
  if (typeof member === 'string') segments.push(member);
  return segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '') || 'file';
}

/**
 * The payments of an OB payment file, each its Initiation as the file holds it, in file order;
 * `FILE_INVALID` when it is not a valid OB payment file.
 */
export function obFileInitiations(content: Buffer): ObDomesticInitiation[] {
  let file: unknown;
  try {
    file = JSON.parse(content.toString('utf8'));
  } catch {
    throw new AppError(FilePaymentErrors.FILE_INVALID, { details: [{ message: 'The file is not JSON' }] });
  }
  if (!validateFile(file)) {
    const issue = validateFile.errors?.[0];
    const member = issue?.params['missingProperty'] ?? issue?.params['additionalProperty'];
    throw new AppError(FilePaymentErrors.FILE_INVALID, {
      details: [{ message: `${issue?.instancePath || 'file'} ${issue?.message ?? 'is invalid'}`, path: pathOf(issue?.instancePath ?? '', member) }],
    });
  }
  return (file as { Data: { DomesticPayments: ObDomesticInitiation[] } }).Data.DomesticPayments;
}

function readObPaymentFile(content: Buffer): PaymentFileEntry[] {
  return obFileInitiations(content).map((initiation, index) => {
    try {
      return { terms: domesticTermsOf(initiation) };
    } catch (error) {
      if (!isAppError(error)) throw error;
      throw new AppError(error.definition, { details: error.details.map((d) => ({ ...d, item: index, path: d.path?.replace(/^Data\.Initiation/, `Data.DomesticPayments[${index}]`) })) });
    }
  });
}

/** A file type the bank reads; any other is refused (400 U002 at Data.Initiation.FileType). */
export function checkPaymentFileType(fileType: string): void {
  if (fileType !== OB_PAYMENT_FILE_TYPE) {
    throw new AppError(FilePaymentErrors.FILE_TYPE_UNSUPPORTED, { details: [{ path: 'Data.Initiation.FileType', message: `The bank accepts payment files of type ${OB_PAYMENT_FILE_TYPE} only` }] });
  }
}

/** The payments of an OB payment file of `fileType`. */
export const readPaymentFile: PaymentFileReader = (content, fileType) => {
  checkPaymentFileType(fileType);
  return readObPaymentFile(content);
};
