import { isIP } from 'node:net';
import { AppError } from '../../../../platform/errors/index.ts';
import type { SecurityStep } from './security-context.ts';
import { SecurityErrors } from './security.errors.ts';

/**
 * OB v4.0 OpenAPI `components.parameters.x-fapi-auth-date`: an RFC 7231 IMF-fixdate (as the spec
 * writes it, GMT or UTC), e.g. `Sun, 10 Sep 2017 19:43:31 UTC`.
 */
const AUTH_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (GMT|UTC)$/;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Well-formed and a real date: it reads back identically (so no 31 Feb, and the weekday is right). */
function isImfFixdate(value: string): boolean {
  if (!AUTH_DATE.test(value)) return false;
  const asGmt = value.replace(/UTC$/, 'GMT');
  const time = Date.parse(asGmt);
  return !Number.isNaN(time) && new Date(time).toUTCString() === asGmt;
}

/**
 * The optional FAPI interaction headers, when present, are well-formed (FAPI 1.0 Part 1 §6.2.2-3/-4):
 * `x-fapi-auth-date` (when the PSU last logged in with the TPP) and `x-fapi-customer-ip-address`
 * (the PSU's IP address, IPv4 or IPv6). A malformed one is 400 U006 naming the header, since the
 * bank's fraud and PSU-present rules (OB: customer-present calls are not rate limited) rely on them.
 */
export function checkInteractionHeaders(): SecurityStep {
  return async (request) => {
    const authDate = single(request.headers['x-fapi-auth-date']);
    if (authDate !== undefined && !isImfFixdate(authDate)) {
      throw new AppError(SecurityErrors.INTERACTION_HEADER_INVALID, { details: [{ message: 'x-fapi-auth-date must be an RFC 7231 date', path: 'x-fapi-auth-date' }] });
    }
    const customerIp = single(request.headers['x-fapi-customer-ip-address']);
    if (customerIp !== undefined && isIP(customerIp) === 0) {
      throw new AppError(SecurityErrors.INTERACTION_HEADER_INVALID, {
        details: [{ message: 'x-fapi-customer-ip-address must be an IPv4 or IPv6 address', path: 'x-fapi-customer-ip-address' }],
      });
    }
  };
}
