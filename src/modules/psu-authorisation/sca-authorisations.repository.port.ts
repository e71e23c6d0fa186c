import type { TxContext } from '../../platform/db/index.ts';
import type { ScaAuthorisation, ScaStatus } from './sca-authorisation.ts';

/** Where SCA authorisations are kept. */
export interface ScaAuthorisationsRepository {
  insert(sca: ScaAuthorisation): Promise<void>;
  find(id: string): Promise<ScaAuthorisation | undefined>;
  listOfConsent(consentId: string, purpose: ScaAuthorisation['purpose']): Promise<ScaAuthorisation[]>;
  /**
   * Moves the SCA to `status` only while it is in one of `from` (and, once a PSU is recorded, for
   * that PSU only): undefined when it was not, so two tabs or a replay cannot both advance it. In
   * the caller's transaction when one is given (a cancellation commits with its SCA).
   */
  advance(id: string, from: readonly ScaStatus[], status: ScaStatus, psuId: string | null, now: Date, tx?: TxContext): Promise<ScaAuthorisation | undefined>;
}
