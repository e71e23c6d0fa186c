import type { TxContext, UnitOfWork } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { Consent, ConsentsApi } from '../consents/index.ts';
import type { PaymentOrderCancellation } from '../payments/index.ts';
import { PsuAuthorisationErrors } from './psu-authorisation.errors.ts';
import { scaAsOf, type ScaAuthorisation } from './sca-authorisation.ts';
import type { ScaAuthorisationsRepository } from './sca-authorisations.repository.port.ts';

/** What stops the payment order a cancellation SCA confirms: the payments module's, in the caller's transaction. */
export type CancelPaymentOrder = (tx: TxContext, request: PaymentOrderCancellation, now: Date) => Promise<unknown>;

export interface ConfirmCancellationDeps {
  readonly consents: Pick<ConsentsApi, 'find'>;
  readonly scas: ScaAuthorisationsRepository;
  readonly uow: UnitOfWork;
  /** Absent where the platform offers no cancellation: every confirmation is then refused. */
  readonly cancelPaymentOrder?: CancelPaymentOrder | undefined;
}

/**
 * The payment a cancellation SCA is about, as its PSU may cancel it: the SCA is one of purpose
 * `cancel` still open, and the payment consent is this PSU's own — the PSU who authorised the
 * payment. Another PSU (who may well log in: the SCA does not name the PSU beforehand) is refused
 * with CONSENT_UNKNOWN, and learns nothing of the payment.
 */
export async function cancellationForPsu(deps: Pick<ConfirmCancellationDeps, 'consents' | 'scas'>, scaId: string, psuId: string, now: Date): Promise<{ sca: ScaAuthorisation; consent: Consent }> {
  const found = await deps.scas.find(scaId);
  if (!found || found.purpose !== 'cancel') throw new AppError(PsuAuthorisationErrors.SCA_UNKNOWN);
  const sca = scaAsOf(found, now);
  if (sca.status === 'finalised' || sca.status === 'failed') throw new AppError(PsuAuthorisationErrors.SCA_ENDED);
  const consent = await deps.consents.find(sca.consentId, now);
  if (!consent?.payment || consent.clientId !== sca.clientId || consent.psuId !== psuId) throw new AppError(PsuAuthorisationErrors.CONSENT_UNKNOWN);
  return { sca, consent };
}

/**
 * The PSU confirms the cancellation after both factors were verified on this SCA
 * (`psu-authenticated`, by this PSU): in one transaction the SCA is finalised — only from
 * `psu-authenticated`, so a replayed confirmation finds it ended — and the payment order is
 * stopped (`cancelPaymentOrder`). Either both commit or neither: a payment that ran meanwhile
 * refuses the cancellation (the payments module's NOT_CANCELLABLE) and the SCA is not finalised.
 */
export async function confirmCancellation(deps: ConfirmCancellationDeps, scaId: string, psuId: string, now: Date = new Date()): Promise<ScaAuthorisation> {
  const { sca, consent } = await cancellationForPsu(deps, scaId, psuId, now);
  if (sca.status !== 'psu-authenticated' || sca.psuId !== psuId) throw new AppError(PsuAuthorisationErrors.SCA_ENDED);
  const cancel = deps.cancelPaymentOrder;
  if (!cancel) throw new AppError(PsuAuthorisationErrors.CONSENT_NOT_AWAITING);
  return deps.uow.run(async (tx) => {
    const finalised = await deps.scas.advance(sca.id, ['psu-authenticated'], 'finalised', psuId, now, tx);
    if (!finalised) throw new AppError(PsuAuthorisationErrors.SCA_ENDED);
    await cancel(tx, { consentId: consent.id, clientId: consent.clientId }, now);
    return finalised;
  });
}
