import { randomUUID } from 'node:crypto';
import { parsePositiveAmount, type AccountScheme, type CoreBanking } from '../../core/index.ts';
import { AppError, type FieldRef } from '../../platform/errors/index.ts';
import { matchesConsent } from '../consents/index.ts';
import { checkIdempotencyKey } from '../idempotency/index.ts';
import { findCreatedPayment } from './get-payment-of-kind.ts';
import { submitPendingPayment } from './insert-pending-payment.ts';
import { checkAccountIdentification, describeAccount } from './payment-accounts.ts';
import type { DomesticPayment, DomesticPaymentTerms } from './payment-model.ts';
import { paymentPartiesOf } from './payment-terms-of.ts';
import type { PaymentStores } from './payment-stores.ts';
import { PaymentErrors } from './payments.errors.ts';
import type { DomesticPaymentSubmission } from './submit-domestic-payment.ts';
import { vrpControlsOf } from './stage-domestic-vrp-consent.ts';
import type { VrpControlTerms } from './vrp-model.ts';
import { usedInPeriods } from './vrp-usage.ts';
import { VrpErrors } from './vrp.errors.ts';

/** A VRP is submitted as a payment is; `consent` is the VRP consent and `match` the mandate (OB: its Initiation) it states. */
export interface DomesticVrpSubmission extends DomesticPaymentSubmission {
  /** The consent's control parameters as it was staged with them. */
  readonly controls: VrpControlTerms;
  /** What this VRP pays (OB: the Instruction), in neutral terms. */
  readonly instruction: DomesticPaymentTerms;
}

export interface SubmitDomesticVrpDeps extends PaymentStores {
  readonly core: Pick<CoreBanking, 'getAccountOverview' | 'findAccountByIdentifier'>;
  /** Told after a new VRP commits, to execute it without waiting for the scheduler's next poll. */
  readonly onSubmitted?: ((paymentId: string) => void) | undefined;
}

/** Idempotency scope of `POST /domestic-vrps`. */
export const DOMESTIC_VRPS_OPERATION = 'domestic-vrps';


/**
 * Makes one payment under an authorised VRP consent, which stays Authorised for the next one. In
 * one transaction, idempotent by the request's key:
 * 1. the consent row is locked (`FOR UPDATE`) and must still be Authorised and unexpired: concurrent
 *    VRPs under one consent queue here, so each sees every VRP committed before it and two cannot
 *    both fit under a limit that only one fits under; a revocation waits for, or is seen by, it;
 * 2. the mandate must be the consent's (`matchesConsent`), and the payee the consent's when it fixed one;
 * 3. the control parameters: inside ValidFrom/ValidTo, at most MaximumIndividualAmount, in the
 *    consent's currency, and for every periodic limit the VRPs of the current period (all but the
 *    rejected ones) plus this one at most the limit — else FAILS_CONTROL_PARAMETERS, nothing made;
 * 4. the VRP is stored Pending and executed by the same durable job as a domestic payment.
 */
export async function submitDomesticVrp(deps: SubmitDomesticVrpDeps, submission: DomesticVrpSubmission, now: Date = new Date()): Promise<{ payment: DomesticPayment; created: boolean }> {
  const key = checkIdempotencyKey(submission.idempotencyKey);
  const { consent, instruction } = submission;
  if (submission.consentId !== consent.id) throw new AppError(PaymentErrors.CONSENT_NOT_OF_TOKEN, { details: [{ field: 'consent-id' }] });
  const summary = consent.payment;
  const debtorAccountId = consent.accountIds[0];
  if (consent.kind !== 'domestic-vrp' || !summary || !debtorAccountId || !consent.psuId) throw new Error(`consent ${consent.id} is not an authorised domestic VRP consent`);
  const controls = vrpControlsOf(submission.controls);
  const creditor = checkAccountIdentification(instruction.creditor.scheme, instruction.creditor.identification, 'order.creditor.account');
  const amountMinor = parsePositiveAmount(instruction.amount.decimal, instruction.amount.currency);
  if (amountMinor === undefined) throw new AppError(PaymentErrors.AMOUNT_INVALID, { details: [{ field: 'order.amount.value' }] });
  // Reads through the core port happen before the transaction: inside it, only `tx` may be used.
  const debtor = await describeAccount(deps.core, debtorAccountId);
  const creditorAccount = await deps.core.findAccountByIdentifier(creditor.scheme as AccountScheme, creditor.identification);

  const outcome = await deps.idempotency.withIdempotency(
    { clientId: consent.clientId, operation: DOMESTIC_VRPS_OPERATION, key, requestHash: submission.requestHash, alongside: submission.alongside },
    async (tx) => {
      await deps.consents.lockAuthorised(tx, consent.id, consent.clientId, now);

      if (!matchesConsent(submission.match)) throw new AppError(VrpErrors.INITIATION_MISMATCH, { details: [{ field: 'instruction' }] });
      if (summary.creditorIdentification !== '') {
        const same = summary.creditorScheme === creditor.scheme && summary.creditorIdentification === creditor.identification && summary.creditorName === instruction.creditor.name;
        if (!same) throw new AppError(VrpErrors.CREDITOR_MISMATCH, { details: [{ field: 'order.creditor.account' }] });
      }

      const fails = (field: FieldRef, message: string) => new AppError(VrpErrors.FAILS_CONTROL_PARAMETERS, { details: [{ field, message }] });
      if ((controls.validFrom && now < controls.validFrom) || (controls.validTo && now >= controls.validTo)) {
        throw fails('order', 'The consent is not valid at this time (ValidFromDateTime/ValidToDateTime)');
      }
      if (instruction.amount.currency !== controls.maximumIndividual.currency) throw fails('order.amount.currency', "Not the consent's currency");
      if (amountMinor > controls.maximumIndividual.amountMinor) throw fails('order.amount.value', 'Exceeds MaximumIndividualAmount');
      if (controls.periodicLimits.length > 0) {
        const used = await usedInPeriods(deps.payments, consent, controls.periodicLimits, now, tx);
        controls.periodicLimits.forEach((limit, i) => {
          if (used[i]!.usedMinor + amountMinor > limit.amountMinor) throw fails('order.amount.value', `Exceeds the ${limit.periodType} limit`);
        });
      }

      // OB DomesticVRPId: at most 40 characters.
      const id = `vrp-${randomUUID()}`;
      await submitPendingPayment(
        deps,
        tx,
        {
          id,
          kind: 'recurring',
          reach: 'domestic',
          ...paymentPartiesOf(consent, debtorAccountId, debtor, creditorAccount?.id ?? null),
          amountMinor,
          currency: instruction.amount.currency,
          creditor: { name: instruction.creditor.name, scheme: creditor.scheme, identification: creditor.identification },
          reference: instruction.reference,
          shareRefundAccount: submission.shareRefundAccount,
        },
        now,
        now,
      );
      return id;
    },
    now,
  );
  if (outcome.created) deps.onSubmitted?.(outcome.resourceId);
  return { payment: await findCreatedPayment(deps.payments, outcome.resourceId, { kind: 'recurring', reach: 'domestic' }), created: outcome.created };
}
