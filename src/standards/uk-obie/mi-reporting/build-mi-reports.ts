import type { ApiService, Downtime, EndpointHour, KpiDay, KpiFigures } from '../../../modules/insights/index.ts';
import type { components } from './_generated/mi-data-high-frequency.ts';
import { defaultMiEndpointIds, specEndpointOf, type MiEndpointIds } from './mi-endpoint-ids.ts';
import { miReportTime } from './mi-report-time.ts';

export type PerformanceAndAvailability = components['schemas']['PerformanceAndAvailability'];
export type OverallPerformance = components['schemas']['OverallPerformance'];
type OverallPerformanceRow = NonNullable<NonNullable<OverallPerformance['aspspBrandIds']>[number]['data']>[number];

/** A TPP as OB's MI knows it: its brand id (1–9999) and name. */
export interface MiTppBrand {
  readonly id: number;
  readonly name: string;
}

export interface MiReportOptions {
  /** The bank's brand id in OB's ASPSP Brand List (1–9999; default 1). */
  readonly aspspBrandId?: number;
  /** OB's endpoint ids by `METHOD /open-banking/v4.0/…/{Param}`; beside (and before) Portico's numbering. */
  readonly endpointIds?: MiEndpointIds;
  /** OB's TPP brands by client id; others are numbered in client id order and named by client id. */
  readonly tppBrands?: ReadonlyMap<string, MiTppBrand>;
  /** Whether the bank's PSUs are retail or business customers (default Retail): calls do not say. */
  readonly psuSegment?: 'Retail' | 'Business';
}

/** The hourly reports of a day, each hour that has started, as the official file defines them. */
export interface MiReports {
  readonly performanceAndAvailability: PerformanceAndAvailability[];
  readonly overallPerformance: OverallPerformance[];
  /** Endpoints called that day that have no MI endpoint id (left out of both reports). */
  readonly unnumberedEndpoints: string[];
}

const VERSION = 'v4.0';

/** The CEF outcome area of an API family (OB MI "cefOutcomeArea"; Portico's default by service). */
const CEF_OUTCOME: Record<ApiService, OverallPerformanceRow['cefOutcomeArea']> = {
  'account-information': 'Improved_financial_decision_making',
  'payment-initiation': 'Expanded_payments_choice',
  'funds-confirmation': 'Expanded_payments_choice',
  other: 'Improved_financial_decision_making',
};

const downMinutes = (downtime: Downtime) => downtime.plannedMinutes + downtime.unplannedMinutes;

/** P&A `downtime`: minutes of the hour down, `all` for the whole hour. */
const downtimeField = (downtime: Downtime) => (downMinutes(downtime) >= 60 ? 'all' : String(downMinutes(downtime)));

/** Overall Performance `perceivedApiUnavailability`: the endpoint's downtime in the hour, `MM:SS`. */
const perceived = (downtime: Downtime) => `${String(Math.min(60, downMinutes(downtime))).padStart(2, '0')}:00`;

/**
 * The OB MI "Performance and Availability" and "Overall Performance" hourly reports of a day
 * (specs/uk-obie/mi-reporting/mi-data-high-frequency-openapi.yaml), from the insights module's
 * figures of the OB v4.0 endpoints. Successful calls include those answering a rejected resource,
 * which Overall Performance also counts apart (docs/insights.md).
 */
export function buildMiReports(day: KpiDay, options: MiReportOptions = {}): MiReports {
  const aspspBrandId = options.aspspBrandId ?? 1;
  const ids = new Map([...defaultMiEndpointIds(), ...(options.endpointIds ?? [])]);
  const unnumbered = new Set<string>();
  const idOf = (row: EndpointHour) => {
    const id = ids.get(specEndpointOf(row.endpoint));
    if (id === undefined) unnumbered.add(row.endpoint);
    return id;
  };
  const clients = [...new Set(day.hours.flatMap((hour) => hour.endpoints.flatMap((row) => row.byTpp.map((tpp) => tpp.clientId))))].sort();
  const brandOf = (clientId: string): MiTppBrand => options.tppBrands?.get(clientId) ?? { id: clients.indexOf(clientId) + 1, name: clientId.slice(0, 40) };

  const performanceAndAvailability: PerformanceAndAvailability[] = [];
  const overallPerformance: OverallPerformance[] = [];
  for (const hour of day.hours) {
    if (hour.downtime.elapsedMinutes === 0) continue;
    const reportTime = miReportTime(hour.hour);
    const endpoints = hour.endpoints.filter((row) => row.standard === 'uk-obie').flatMap((row) => {
      const id = idOf(row);
      return id === undefined ? [] : [{ id, row }];
    });
    endpoints.sort((a, b) => a.id - b.id);
    performanceAndAvailability.push({
      reportDate: day.date,
      reportTime: reportTime as PerformanceAndAvailability['reportTime'],
      aspspBrandIds: [
        {
          aspspBrandId,
          data: endpoints.map(({ id, row }) => ({
            endPoint: id,
            totalTtlbResponseTime: row.figures.ttlbMsTotal,
            totalTtfbResponseTime: row.figures.ttfbMsTotal,
            totalResponsePayloadSize: row.figures.payloadBytesTotal,
            successfulApiCalls: row.figures.successes,
            failedApiCallsBusinessReasons: row.figures.businessFailures,
            failedApiCallsTechnicalReasons: row.figures.technicalFailures,
            downtime: downtimeField(row.downtime),
            version: VERSION,
          })),
        },
      ],
    });
    const byTpp = new Map<string, Array<{ id: number; row: EndpointHour; figures: KpiFigures }>>();
    for (const { id, row } of endpoints) {
      for (const tpp of row.byTpp) byTpp.set(tpp.clientId, [...(byTpp.get(tpp.clientId) ?? []), { id, row, figures: tpp.figures }]);
    }
    overallPerformance.push({
      reportDate: day.date,
      reportTime,
      aspspBrandIds: [...byTpp.keys()].sort().map((clientId) => {
        const brand = brandOf(clientId);
        return {
          tppBrandId: brand.id,
          tspBrandName: brand.name.slice(0, 40),
          aspspBrandId,
          data: byTpp.get(clientId)!.map(({ id, row, figures }) => ({
            retailBusinessPsu: options.psuSegment ?? 'Retail',
            endpointId: id,
            totalNumberOfApiCalls: figures.calls,
            successfulApiCalls: figures.successes,
            failedApiCallsBusinessReasons: figures.businessFailures,
            failedApiCallsTechnicalReasons: figures.technicalFailures,
            apiCallsGeneratingRejectionStatus: figures.rejections,
            totalTtlbResponseTime: figures.ttlbMsTotal,
            totalTtfbResponseTime: figures.ttfbMsTotal,
            totalResponsePayloadSize: figures.payloadBytesTotal,
            minimumTtlbApiResponseTime: figures.ttlbMsMin,
            maximumTtlbApiResponseTime: figures.ttlbMsMax,
            perceivedApiUnavailability: perceived(row.downtime),
            freeFormatText: '',
            version: VERSION,
            cefOutcomeArea: CEF_OUTCOME[row.service],
          })),
        };
      }),
    });
  }
  return { performanceAndAvailability, overallPerformance, unnumberedEndpoints: [...unnumbered].sort() };
}
