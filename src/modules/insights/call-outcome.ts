/**
 * How a call counts in the KPIs, as the OB MI reporting definitions have it: an answer in 2xx (or
 * 1xx/3xx) is a successful call, a 4xx a failure for business reasons (the request was refused:
 * invalid, unauthorised, unknown resource, too many requests), a 5xx a failure for technical
 * reasons (the bank's side failed; "fully operational … i.e. no technical 5xx failures", OB MI
 * Reporting Data API Specification, note on availability). A rejection (a resource answered in a
 * rejected status) is a successful call counted again apart, not a fourth outcome.
 */
export type CallOutcome = 'success' | 'business-failure' | 'technical-failure';

export function outcomeOf(statusCode: number): CallOutcome {
  if (statusCode >= 500) return 'technical-failure';
  if (statusCode >= 400) return 'business-failure';
  return 'success';
}
