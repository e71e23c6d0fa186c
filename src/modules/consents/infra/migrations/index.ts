import type { Migrations } from '../../../../platform/db/index.ts';
import * as consents from './0006-consents.ts';
import * as psuInteractions from './0007-psu-interactions.ts';
import * as neutralConsentStatuses from './0028-neutral-consent-statuses.ts';
import * as consentAccessScopes from './0029-consent-access-scopes.ts';
import * as consentStatusReasons from './0055-consent-status-reasons.ts';

/** The consents module's table and its later changes (decision 0008h). */
export const consentsMigrations: Migrations = {
  '0006-consents': consents,
  // Also creates the authorisation server's `auth_cookie_keys`: kept whole with the consents columns
  // it adds (its name is recorded by every database migrated before).
  '0007-psu-interactions': psuInteractions,
  '0028-neutral-consent-statuses': neutralConsentStatuses,
  '0029-consent-access-scopes': consentAccessScopes,
  '0055-consent-status-reasons': consentStatusReasons,
};
