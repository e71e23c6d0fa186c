import { isIP } from 'node:net';
import { AppError } from '../../../../platform/errors/index.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';
import { headerOf, type Xs2aStep } from './xs2a-context.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `X-Request-ID`, a UUID, on every request (the facade echoes it on every response). */
export function checkRequestId(): Xs2aStep {
  return async (request) => {
    const id = headerOf(request, 'x-request-id');
    if (id === undefined) throw new AppError(Xs2aErrors.REQUEST_ID_INVALID, { message: 'X-Request-ID is required', details: [{ path: 'X-Request-ID' }] });
    if (!UUID.test(id)) throw new AppError(Xs2aErrors.REQUEST_ID_INVALID, { details: [{ path: 'X-Request-ID' }] });
  };
}

/**
 * `PSU-IP-Address`, required where the PSU starts the request (consent creation, payment
 * initiation); where optional, its presence is what says the PSU takes part in a read.
 */
export function checkPsuIpAddress(required: boolean): Xs2aStep {
  return async (request) => {
    const address = headerOf(request, 'psu-ip-address');
    if (address === undefined) {
      if (required) throw new AppError(Xs2aErrors.PSU_IP_ADDRESS_MISSING, { details: [{ path: 'PSU-IP-Address' }] });
      return;
    }
    if (isIP(address) === 0) throw new AppError(Xs2aErrors.PSU_IP_ADDRESS_INVALID, { details: [{ path: 'PSU-IP-Address' }] });
  };
}

/** Whether the PSU takes part in this request (it sent the PSU's IP address). */
export const psuPresent = (request: Parameters<Xs2aStep>[0]) => headerOf(request, 'psu-ip-address') !== undefined;

function redirectUri(value: string | undefined, header: string): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError(Xs2aErrors.REDIRECT_URI_INVALID, { details: [{ path: header }] });
  }
  if (url.protocol !== 'https:' || url.hash !== '' || url.username !== '' || url.password !== '') throw new AppError(Xs2aErrors.REDIRECT_URI_INVALID, { details: [{ path: header }] });
  return value;
}

/**
 * Where the PSU's browser goes back to after SCA: `TPP-Redirect-URI` (required: the redirect
 * approach is the one this bank offers) and `TPP-Nok-Redirect-URI` (optional), https only.
 */
export function redirectUrisOf(request: Parameters<Xs2aStep>[0]): { redirectUri: string; nokRedirectUri: string | undefined } {
  const ok = redirectUri(headerOf(request, 'tpp-redirect-uri'), 'TPP-Redirect-URI');
  if (!ok) throw new AppError(Xs2aErrors.REDIRECT_URI_MISSING, { details: [{ path: 'TPP-Redirect-URI' }] });
  return { redirectUri: ok, nokRedirectUri: redirectUri(headerOf(request, 'tpp-nok-redirect-uri'), 'TPP-Nok-Redirect-URI') };
}

/** `TPP-Explicit-Authorisation-Preferred: true`: the TPP starts the authorisation itself. */
export const explicitAuthorisationPreferred = (request: Parameters<Xs2aStep>[0]) => headerOf(request, 'tpp-explicit-authorisation-preferred') === 'true';
