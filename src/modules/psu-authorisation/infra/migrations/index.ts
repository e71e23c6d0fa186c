import type { Migrations } from '../../../../platform/db/index.ts';
import * as scaAuthorisations from './0046-sca-authorisations.ts';

/** The PSU authorisation module's tables: SCA authorisations (decision 0008h). */
export const psuAuthorisationMigrations: Migrations = {
  '0046-sca-authorisations': scaAuthorisations,
};
