import { AppError } from '../../platform/errors/index.ts';
import type { PaymentConsents } from './payment-consents.port.ts';
import { VrpErrors } from './vrp.errors.ts';

/**
 * OB v4.0 VRP `PUT` and `PATCH /domestic-vrp-consents/{ConsentId}`, "only to be used for version
 * migrations": the bank serves one version of the VRP API, so a consent is always of it and has no
 * later version to move to. The TPP's own consent is refused with MIGRATION_UNAVAILABLE and left
 * as it is; an unknown id or another TPP's consent reads as not found, exactly as on GET.
 */
export async function migrateDomesticVrpConsent(consents: PaymentConsents, consentId: string, clientId: string, now: Date = new Date()): Promise<never> {
  await consents.getForClient(consentId, clientId, 'domestic-vrp', now);
  throw new AppError(VrpErrors.MIGRATION_UNAVAILABLE);
}
