import { defineErrors, exposed } from '../../platform/errors/index.ts';

/** Why a signing basket cannot be created, read, cancelled or authorised. */
export const SigningBasketErrors = defineErrors('SIGNING_BASKET', {
  NOT_FOUND: exposed(404, 'resource.not-found', 'No such signing basket of this provider'),
  EMPTY: exposed(400, 'field.missing', 'A signing basket needs at least one payment or consent'),
  MEMBER_REPEATED: exposed(400, 'field.invalid', 'A payment or consent is named twice in the basket'),
  /** A member unknown, or another TPP's: the two answer alike. */
  MEMBER_UNKNOWN: exposed(400, 'resource.not-found', 'A payment or consent of the basket is unknown'),
  /** A member no longer awaiting authorisation (authorised, used, rejected, cancelled, expired), or already in another basket awaiting authorisation. */
  MEMBER_NOT_AWAITING: exposed(409, 'consent.invalid-status', 'A payment or consent of the basket no longer awaits authorisation, or is in another signing basket'),
  /** A member the PSU would have to choose an account for: a basket is authorised with no choice left to make. */
  MEMBER_NOT_SUPPORTED: exposed(400, 'unsupported.scheme', 'A payment without its debtor account, or a consent whose accounts the PSU would choose, cannot be put in a signing basket'),
  NOT_AWAITING: exposed(409, 'consent.invalid-status', 'The signing basket no longer awaits authorisation'),
  NOT_CANCELLABLE: exposed(409, 'consent.invalid-status', 'The signing basket can no longer be cancelled'),
});
