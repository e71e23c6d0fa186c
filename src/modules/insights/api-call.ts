/** The API standard a call was made under: the dedicated interface's two facades. */
export type ApiStandard = 'uk-obie' | 'berlin-group';

/** The PSD2 service a call belongs to (EBA/GL/2018/07 Guideline 2.2 reports performance per service). */
export type ApiService = 'account-information' | 'payment-initiation' | 'funds-confirmation' | 'other';

/**
 * One answered API call, as the composition root's onResponse hook sees it. The endpoint is the
 * route template (`GET /open-banking/v4.0/aisp/accounts/:AccountId`), never the raw URL: ids would
 * make every call an endpoint of its own.
 */
export interface ApiCall {
  /** When the request arrived. */
  readonly at: Date;
  readonly standard: ApiStandard;
  readonly service: ApiService;
  /** `METHOD route-template`. */
  readonly endpoint: string;
  /** The TPP (OAuth client, or an XS2A organisation's owner id); undefined when the call identified none. */
  readonly clientId: string | undefined;
  readonly statusCode: number;
  /** Answered with a resource in a rejected status (a rejected payment or consent). */
  readonly rejected: boolean;
  /** Time to first byte: from the request's arrival to the response starting to be written. */
  readonly ttfbMs: number;
  /** Time to last byte: from the request's arrival to the response written in full. */
  readonly ttlbMs: number;
  /** Bytes of the response body. */
  readonly payloadBytes: number;
}
