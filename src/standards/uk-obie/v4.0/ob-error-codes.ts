import type { ErrorReason } from '../../../platform/errors/index.ts';

/**
 * OB v4.0 `OBExternalStatusReason1Code` (OB_Internal_CodeSet, ErrorCode of OBError1): v4.0
 * replaced the v3.1 `UK.OBIE.*` strings with these four-character codes. One per neutral reason.
 */
export const OB_V4_ERROR_CODES: Record<ErrorReason, string> = {
  'field.expected': 'U001',
  'field.invalid': 'U002',
  'field.invalid-date': 'U003',
  'field.missing': 'U004',
  'field.unexpected': 'U005',
  'header.invalid': 'U006',
  'header.missing': 'U007',
  'consent.mismatch': 'U008',
  'consent.invalid-status': 'U009',
  'resource.invalid-format': 'U010',
  'resource.not-found': 'U011',
  'rules.after-cut-off': 'U012',
  'rules.duplicate-reference': 'U013',
  'rules.exceeds-controls': 'U014',
  'signature.invalid': 'U015',
  'signature.invalid-claim': 'U016',
  'signature.missing-claim': 'U017',
  'signature.malformed': 'U018',
  'signature.missing': 'U019',
  'signature.unexpected': 'U020',
  'unsupported.account-identifier': 'U021',
  'unsupported.account-secondary-identifier': 'U022',
  'unsupported.currency': 'U023',
  'unsupported.event-type': 'U024',
  'unsupported.frequency': 'U025',
  'unsupported.local-instrument': 'U026',
  'unsupported.scheme': 'U027',
  'auth.reauthenticate': 'U028',
  'rules.resource-exists': 'U029',
  unexpected: 'U000',
};
