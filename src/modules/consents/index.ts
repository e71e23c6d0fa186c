export type { Consent, ConsentKind, ConsentStatus, AccountPermission } from './consent-model.ts';
export { ACCOUNT_PERMISSIONS } from './consent-model.ts';
export { createConsent, CONSENT_CREATED_SUBJECT } from './create-consent.ts';
export type { NewConsent } from './create-consent.ts';
export { findConsent, getConsentForClient } from './get-consent.ts';
export { authoriseConsent, rejectConsent, revokeConsent, listConsentsOfPsu, CONSENT_STATUS_CHANGED_SUBJECT } from './change-consent-status.ts';
export type { Authorisation } from './change-consent-status.ts';
export { validateAccountPermissions } from './validate-account-permissions.ts';
export { ConsentErrors } from './consents.errors.ts';
