import type { ApiService, ApiStandard } from './api-call.ts';

/** The figures of calls to one endpoint by one TPP in one hour, summed over every instance. */
export interface KpiFigures {
  readonly calls: number;
  /** Answers 1xx–3xx, rejections included. */
  readonly successes: number;
  /** Answers 4xx. */
  readonly businessFailures: number;
  /** Answers 5xx. */
  readonly technicalFailures: number;
  /** Successful answers with a resource in a rejected status. */
  readonly rejections: number;
  readonly ttfbMsTotal: number;
  readonly ttlbMsTotal: number;
  readonly ttlbMsMin: number;
  readonly ttlbMsMax: number;
  readonly payloadBytesTotal: number;
}

export interface HourlyKpi extends KpiFigures {
  /** The start of the hour (UTC). */
  readonly hour: Date;
  readonly standard: ApiStandard;
  readonly service: ApiService;
  readonly endpoint: string;
  /** Null for calls that identified no TPP (refused before a token or certificate named one). */
  readonly clientId: string | null;
}

/**
 * Calls to one endpoint by one TPP in one hour whose time to last byte fell in one bucket
 * (latency-histogram.ts): the rows of the hour's distribution, which add up across instances.
 */
export interface LatencyBucketCount {
  readonly hour: Date;
  readonly endpoint: string;
  /** Null for calls that identified no TPP, as in HourlyKpi. */
  readonly clientId: string | null;
  readonly bucket: number;
  readonly calls: number;
}

/** Calls to one endpoint in one minute, all TPPs together: what tells whether the endpoint was down. */
export interface EndpointMinute {
  readonly minute: Date;
  readonly endpoint: string;
  readonly calls: number;
  readonly technicalFailures: number;
}

export const NO_FIGURES: KpiFigures = {
  calls: 0,
  successes: 0,
  businessFailures: 0,
  technicalFailures: 0,
  rejections: 0,
  ttfbMsTotal: 0,
  ttlbMsTotal: 0,
  ttlbMsMin: 0,
  ttlbMsMax: 0,
  payloadBytesTotal: 0,
};

/** Two sets of figures added up: sums add, the minimum and maximum of the calls of both. */
export function addFigures(a: KpiFigures, b: KpiFigures): KpiFigures {
  if (a.calls === 0) return b;
  if (b.calls === 0) return a;
  return {
    calls: a.calls + b.calls,
    successes: a.successes + b.successes,
    businessFailures: a.businessFailures + b.businessFailures,
    technicalFailures: a.technicalFailures + b.technicalFailures,
    rejections: a.rejections + b.rejections,
    ttfbMsTotal: a.ttfbMsTotal + b.ttfbMsTotal,
    ttlbMsTotal: a.ttlbMsTotal + b.ttlbMsTotal,
    ttlbMsMin: Math.min(a.ttlbMsMin, b.ttlbMsMin),
    ttlbMsMax: Math.max(a.ttlbMsMax, b.ttlbMsMax),
    payloadBytesTotal: a.payloadBytesTotal + b.payloadBytesTotal,
  };
}
