import type { ConsentsApi } from '../../../../modules/consents/index.ts';
import { authorisedConsentOf, type SecurityStep } from './security-context.ts';

/**
 * OB v4.0 AIS (PSD2 RTS Art. 36(5)(b)): a read made without the PSU present — no
 * `x-fapi-customer-ip-address`, the header a TPP sends only while its customer uses it — counts
 * against `perDay` reads per UTC day of this resource (the endpoint, on the path's account or all of
 * them) under the consent, across instances; once used up, 429 with `Retry-After` until the next
 * day. The consents module's count, as the Berlin Group facade's `countUnattendedRead` uses it. A
 * `preHandler`, after the rate limit: a read refused for any reason uses up none of the day's reads.
 */
export function countUnattendedRead(consents: Pick<ConsentsApi, 'countUnattendedAccess'>, perDay: number | undefined, now: () => Date = () => new Date()): SecurityStep {
  return async (request) => {
    if (perDay === undefined || request.headers['x-fapi-customer-ip-address'] !== undefined) return;
    const resource = request.routeOptions.url ?? request.url;
    await consents.countUnattendedAccess(authorisedConsentOf(request), request.consentedAccountId ?? '*', resource, now(), perDay);
  };
}
