/** ETSI TS 119 612 trusted lists, reduced to what a certificate decision needs. */

/** What a qualified CA service may issue, from its `AdditionalServiceInformation`. */
export type QualifiedUse = 'QWAC' | 'QSealC' | 'QESig';

/** A status a service held from a moment on (its current one and those of its history). */
export interface ServiceStatusPeriod {
  /** The last segment of the status URI: `granted`, `withdrawn`, and older lists' `accredited`, `undersupervision`, … */
  readonly status: string;
  readonly from: Date;
}

/** A trust service of a trusted list: a CA (its certificate) and what it may issue, when. */
export interface TrustedService {
  readonly territory: string;
  readonly providerName: string;
  readonly serviceName: string;
  /** e.g. `http://uri.etsi.org/TrstSvc/Svctype/CA/QC`. */
  readonly serviceType: string;
  /** The service's certificate (its digital identity), PEM. */
  readonly certificatePem: string;
  readonly uses: readonly QualifiedUse[];
  /** Oldest first: the history, then the current status. */
  readonly statuses: readonly ServiceStatusPeriod[];
}

/** A national trusted list (or the UK's configured CA set), as imported. */
export interface TrustedList {
  readonly territory: string;
  readonly sequenceNumber: number;
  readonly issuedAt: Date;
  readonly nextUpdate: Date | undefined;
  /** Where it was read: a URL or a file. */
  readonly source: string;
  /** The certificate whose key signed it (PEM); undefined for a configured CA set. */
  readonly signerPem: string | undefined;
  readonly services: readonly TrustedService[];
}

/** An entry of the List of Trusted Lists: where a territory's list is and who may sign it. */
export interface TrustedListPointer {
  readonly territory: string;
  readonly location: string;
  readonly signerPems: readonly string[];
}

/** Statuses under which a qualified service's certificates count as qualified (TS 119 612 §5.5.4 and older lists' statuses). */
export const QUALIFIED_STATUSES: ReadonlySet<string> = new Set(['granted', 'accredited', 'undersupervision', 'supervisionincessation', 'recognisedatnationallevel', 'setbynationallaw']);

/** The service's status at `at` (undefined before its first). */
export function statusAt(service: TrustedService, at: Date): string | undefined {
  let current: string | undefined;
  for (const period of service.statuses) {
    if (period.from.getTime() <= at.getTime()) current = period.status;
  }
  return current;
}
