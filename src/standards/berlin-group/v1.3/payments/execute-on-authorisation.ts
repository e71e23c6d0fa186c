import { createHash } from 'node:crypto';
import { organisationOfClientId } from '../../../../modules/clients/index.ts';
import { ConsentStatusChangedV2, PaymentInstruction, type ConsentKind, type ConsentsApi } from '../../../../modules/consents/index.ts';
import { requestHash } from '../../../../modules/idempotency/index.ts';
import type { PaymentsApi } from '../../../../modules/payments/index.ts';
import type { Subscription } from '../../../../platform/bus/index.ts';
import { consumeEvents, isEventOf, type ConsumerDeps } from '../../../../platform/events/index.ts';
import type { Xs2aWireStore } from '../_wire/xs2a-wire-store.ts';
import { isPermanentRefusal } from './is-permanent-refusal.ts';
import { instructionOfXs2a, type PaymentProduct, type Xs2aPaymentInitiation } from './xs2a-payment-initiation.ts';
import { standingOrderTermsOfXs2a, type Xs2aPeriodicPaymentInitiation } from './xs2a-periodic-payment.ts';

export interface ExecuteOnAuthorisationDeps extends ConsumerDeps {
  readonly consents: Pick<ConsentsApi, 'find' | 'refuse'>;
  readonly payments: Pick<PaymentsApi, 'submitDomesticPayment' | 'submitDomesticScheduledPayment' | 'submitDomesticStandingOrder' | 'submitFilePayment'>;
  readonly wire: Xs2aWireStore;
}

/** The consents a one-step initiation executes once authorised: single (immediate or future-dated), periodic and bulk payments. */
const EXECUTED: ReadonlySet<ConsentKind> = new Set(['domestic-payment', 'domestic-scheduled-payment', 'domestic-standing-order', 'file-payment']);

/** The reason given for a refusal whose own text is not for TPPs. */
const REFUSED = 'The bank refused the payment';

/** The idempotency key of a consent's execution (keys are at most 40 characters; consent ids may be longer). */
const executionKeyOf = (consentId: string) => `x-${createHash('sha256').update(consentId).digest('base64url').slice(0, 38)}`;

/**
 * NextGenPSD2 initiates a payment in one step: once the PSU authorises it, the bank executes it
 * (a future-dated single payment: schedules it for its date, as the UK scheduled payments are; a
 * periodic payment: sets its standing order up).
 * The consent's authorisation and its event commit together (outbox), so a crash between the two
 * steps only delays the payment: this consumer submits it when it sees the event, through the same
 * payments module as a UK submission — the consent consumed at most once, the submission
 * idempotent by the consent's id — so a redelivered event never pays twice.
 *
 * A submission the payments module refuses for good (`isPermanentRefusal`: say, a debtor account
 * it can no longer debit) would be refused on every delivery: the consent is rejected with the
 * refusal as its reason instead (one transaction, with its event), so the payment reads RJCT with
 * it and the event is done with. A refused consent is no longer authorised, so a delivery of the
 * same event after a crash passes it by. Any other failure (the core or the database out of
 * reach) fails the delivery, which the bus hands out again later.
 */
export async function executeXs2aPaymentsOnAuthorisation(deps: ExecuteOnAuthorisationDeps): Promise<Subscription> {
  return consumeEvents(deps, {
    name: 'xs2a-execute-authorised-payments',
    events: [ConsentStatusChangedV2],
    transactional: false,
    async apply(events) {
      for (const event of events) {
        if (!isEventOf(ConsentStatusChangedV2, event) || event.payload.status !== 'authorised') continue;
        if (organisationOfClientId(event.tppClientId ?? '') === undefined) continue;
        const consent = await deps.consents.find(event.aggregate.id);
        if (!consent || consent.status !== 'authorised' || !EXECUTED.has(consent.kind)) continue;
        const kept = await deps.wire.find('payment', consent.id);
        if (!kept) continue;
        const initiation = kept['initiation'] as Xs2aPaymentInitiation;
        // A bulk is executed as the file the PSU authorised (its hash is bound by the SCA); the instruction only pairs the submission with its consent.
        const instruction = consent.kind === 'file-payment' ? PaymentInstruction.of({ file: { hash: consent.payment?.creditorIdentification } }) : instructionOfXs2a(initiation);
        const submission = {
          consent,
          consentId: consent.id,
          match: { submitted: instruction, consented: instruction, echoMatches: true },
          idempotencyKey: executionKeyOf(consent.id),
          requestHash: requestHash(kept),
          shareRefundAccount: false,
        };
        try {
          if (consent.kind === 'domestic-payment') await deps.payments.submitDomesticPayment(submission);
          // On the date the PSU authorised (shown and bound by the SCA).
          else if (consent.kind === 'domestic-scheduled-payment' && consent.payment?.schedule) await deps.payments.submitDomesticScheduledPayment({ ...submission, requestedExecutionAt: consent.payment.schedule.firstPaymentAt });
          else if (consent.kind === 'file-payment') await deps.payments.submitFilePayment(submission);
          else {
            // The order's terms as they were staged, from the initiation and the moment it was made.
            await deps.payments.submitDomesticStandingOrder({ ...submission, consentedOrder: standingOrderTermsOfXs2a(kept['product'] as PaymentProduct, initiation as Xs2aPeriodicPaymentInitiation, consent.createdAt) });
          }
        } catch (error) {
          if (!isPermanentRefusal(error)) throw error;
          const reason = { code: error.code, description: error.definition.expose ? error.message : REFUSED };
          const refused = await deps.consents.refuse(consent.id, reason);
          deps.logger.warn({ consentId: consent.id, code: error.code, refused: refused !== undefined }, 'authorised XS2A payment refused by the payments module: rejected');
        }
      }
    },
  });
}
