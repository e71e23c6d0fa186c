import type { FundsCheck, FundsConfirmation } from '../../../../modules/funds/index.ts';
import { obDateTime } from '../account-access-consents/account-access-consents.schema.ts';
import { obRequestSchema } from '../ob-request-validation.ts';

/** `POST /funds-confirmations` body: the official OBFundsConfirmation1. */
export const createFundsConfirmationBody = obRequestSchema('confirmation-funds', 'OBFundsConfirmation1');

/** OBFundsConfirmation1 as the schema guarantees it after validation. */
export interface ObFundsConfirmation1 {
  readonly Data: {
    readonly ConsentId: string;
    readonly Reference: string;
    readonly InstructedAmount: { readonly Amount: string; readonly Currency: string };
  };
}

export function fundsCheckOf(body: ObFundsConfirmation1): FundsCheck {
  const { ConsentId, Reference, InstructedAmount } = body.Data;
  return { consentId: ConsentId, reference: Reference, amount: { decimal: InstructedAmount.Amount, currency: InstructedAmount.Currency } };
}

/**
 * OBFundsConfirmationResponse1: the answer with the request's Reference and InstructedAmount echoed
 * as sent. No Links: the API has no resource to read a confirmation back from.
 */
export function toObFundsConfirmationResponse(confirmation: FundsConfirmation, body: ObFundsConfirmation1) {
  return {
    Data: {
      FundsConfirmationId: confirmation.id,
      ConsentId: confirmation.consent.id,
      CreationDateTime: obDateTime(confirmation.checkedAt),
      FundsAvailable: confirmation.fundsAvailable,
      Reference: body.Data.Reference,
      InstructedAmount: { Amount: body.Data.InstructedAmount.Amount, Currency: body.Data.InstructedAmount.Currency },
    },
    Meta: {},
  };
}
