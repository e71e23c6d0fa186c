import type { CoreBanking } from '../../core/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { Consent } from '../consents/index.ts';
import { checkIdempotencyKey } from '../idempotency/index.ts';
import { FilePaymentErrors } from './file-payment.errors.ts';
import type { FilePaymentLimits, PaymentFileTerms } from './file-payment-model.ts';
import { namedDebtorAccountId } from './payment-accounts.ts';
import type { StagedRequest } from './stage-domestic-payment-consent.ts';
import type { PaymentStores } from './payment-stores.ts';

export interface NewFilePaymentConsent extends StagedRequest {
  readonly terms: PaymentFileTerms;
}

export interface StageFilePaymentConsentDeps extends PaymentStores {
  readonly core: Pick<CoreBanking, 'findAccountByIdentifier'>;
  readonly limits: FilePaymentLimits;
}

/** Idempotency scope of `POST /file-payment-consents`. */
export const FILE_PAYMENT_CONSENTS_OPERATION = 'file-payment-consents';

/** The canonical base64 (padded) of a SHA-256 the TPP declared, or undefined if it is not one. */
export function canonicalFileHash(declared: string): string | undefined {
  if (!/^[A-Za-z0-9+/]{43}=?$/.test(declared)) return undefined;
  const digest = Buffer.from(declared, 'base64');
  return digest.length === 32 ? digest.toString('base64') : undefined;
}

/**
 * Stages a file payment consent, AwaitingUpload: the TPP declares the file (type, SHA-256, number
 * of payments, total, execution date, the account to debit) and uploads it next
 * (`uploadPaymentFile`); only then can the PSU authorise it. The declared terms are checked and kept
 * with the consent, in its transaction. Idempotent by the request's key, as every consent.
 */
export async function stageFilePaymentConsent(deps: StageFilePaymentConsentDeps, input: NewFilePaymentConsent, now: Date = new Date()): Promise<Consent> {
  const key = checkIdempotencyKey(input.idempotencyKey);
  const { terms } = input;
  const fileHash = canonicalFileHash(terms.fileHash);
  if (!fileHash) throw new AppError(FilePaymentErrors.FILE_HASH_INVALID, { details: [{ field: 'instruction.file.hash' }] });
  const count = terms.numberOfTransactions;
  if (count !== undefined && (count < 1 || count > deps.limits.maxTransactions)) {
    throw new AppError(FilePaymentErrors.NUMBER_OF_TRANSACTIONS_INVALID, {
      details: [{ field: 'instruction.file.count', message: `NumberOfTransactions must be from 1 to ${deps.limits.maxTransactions}` }],
    });
  }
  if (terms.controlSum !== undefined && !/^(?=.*[1-9])\d{1,18}(\.\d{1,18})?$/.test(terms.controlSum)) {
    throw new AppError(FilePaymentErrors.CONTROL_SUM_INVALID, { details: [{ field: 'instruction.file.control-sum' }] });
  }
  const debtorAccountId = await namedDebtorAccountId(deps.core, terms.debtor);
  const outcome = await deps.idempotency.withIdempotency(
    { clientId: input.clientId, operation: FILE_PAYMENT_CONSENTS_OPERATION, key, requestHash: input.requestHash, alongside: input.alongside },
    async (tx) => {
      const id = await deps.consents.insert(tx, { kind: 'file-payment', clientId: input.clientId, awaitingUpload: true }, now);
      await deps.files.declare(tx, {
        consentId: id,
        fileType: terms.fileType,
        fileHash,
        fileReference: terms.fileReference,
        numberOfTransactions: count ?? null,
        controlSum: terms.controlSum ?? null,
        requestedExecutionAt: terms.requestedExecutionAt ?? null,
        debtorAccountId,
      });
      return id;
    },
    now,
  );
  const consent = await deps.consents.find(outcome.resourceId, now);
  if (!consent) throw new Error(`consent ${outcome.resourceId} created under an idempotency key is gone`);
  return consent;
}
