import type { ErrorReason } from '../../../platform/errors/index.ts';

/**
 * OB v4.0 `OBExternalStatusReason1Code` (OB_Internal_CodeSet, ErrorCode of OBError1): v4.0
 * replaced the v3.1 `UK.OBIE.*` strings with these four-character codes.
 */
export const OB_V4_ERROR_CODES: Record<ErrorReason, string> = {
  'Field.Expected': 'U001',
  'Field.Invalid': 'U002',
  'Field.InvalidDate': 'U003',
  'Field.Missing': 'U004',
  'Field.Unexpected': 'U005',
  'Header.Invalid': 'U006',
  'Header.Missing': 'U007',
  'Resource.ConsentMismatch': 'U008',
  'Resource.InvalidConsentStatus': 'U009',
  'Resource.InvalidFormat': 'U010',
  'Resource.NotFound': 'U011',
  'Rules.AfterCutOffDateTime': 'U012',
  'Rules.DuplicateReference': 'U013',
  'Rules.FailsControlParameters': 'U014',
  'Signature.Invalid': 'U015',
  'Signature.InvalidClaim': 'U016',
  'Signature.MissingClaim': 'U017',
  'Signature.Malformed': 'U018',
  'Signature.Missing': 'U019',
  'Signature.Unexpected': 'U020',
  'Unsupported.AccountIdentifier': 'U021',
  'Unsupported.AccountSecondaryIdentifier': 'U022',
  'Unsupported.Currency': 'U023',
  'Unsupported.EventType': 'U024',
  'Unsupported.Frequency': 'U025',
  'Unsupported.LocalInstrument': 'U026',
  'Unsupported.Scheme': 'U027',
  Reauthenticate: 'U028',
  'Rules.ResourceAlreadyExists': 'U029',
  UnexpectedError: 'U000',
};
