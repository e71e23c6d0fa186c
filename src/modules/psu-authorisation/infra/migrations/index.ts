import type { Migrations } from '../../../../platform/db/index.ts';
import * as scaAuthorisations from './0046-sca-authorisations.ts';
import * as signingBasketScas from './0058-signing-basket-scas.ts';

/** The PSU authorisation module's tables: SCA authorisations (decision 0008h). */
export const psuAuthorisationMigrations: Migrations = {
  '0046-sca-authorisations': scaAuthorisations,
  '0058-signing-basket-scas': signingBasketScas,
};
