import { AccountErrors, grantsAccess, type AisResource } from '../../../../modules/accounts/index.ts';
import { accessScopeOf } from '../../../../modules/consents/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { authorisedConsentOf, type SecurityStep } from './security-context.ts';

/**
 * The authorised consent's access scope covers this resource (OB v4.0 AIS profile, "Permissions"):
 * otherwise 403, whatever the account. Runs after `checkConsentAuthorised`.
 */
export function checkPermission(resource: AisResource): SecurityStep {
  return async (request) => {
    if (!grantsAccess(accessScopeOf(authorisedConsentOf(request)), resource)) throw new AppError(AccountErrors.PERMISSION_MISSING);
  };
}
