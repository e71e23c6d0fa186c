import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KpiDay, KpiFigures } from '../../src/modules/insights/index.ts';
import { dailyPoints, dayBreakdown, hourlyPoints } from '../../src/ui/ops/performance-series.ts';

const figures = (calls: number, business: number, technical: number, ttlb: number, min: number, max: number): KpiFigures => ({
  calls,
  successes: calls - business - technical,
  businessFailures: business,
  technicalFailures: technical,
  rejections: 0,
  ttfbMsTotal: ttlb / 2,
  ttlbMsTotal: ttlb,
  ttlbMsMin: min,
  ttlbMsMax: max,
  payloadBytesTotal: 0,
});
const downtime = (elapsed: number, planned: number, unplanned: number) => ({ elapsedMinutes: elapsed, plannedMinutes: planned, unplannedMinutes: unplanned });

const day: KpiDay = {
  date: '2026-03-02',
  hours: [
    {
      hour: 0,
      start: new Date('2026-03-02T00:00:00Z'),
      endpoints: [
        { standard: 'uk-obie', service: 'account-information', endpoint: 'GET /a', figures: figures(10, 1, 1, 1000, 20, 300), byTpp: [{ clientId: 'c1', figures: figures(4, 0, 1, 400, 50, 300) }, { clientId: 'c2', figures: figures(6, 1, 0, 600, 20, 200) }], downtime: downtime(60, 0, 6) },
        { standard: 'uk-obie', service: 'payment-initiation', endpoint: 'POST /p', figures: figures(0, 0, 0, 0, 0, 0), byTpp: [], downtime: downtime(60, 0, 0) },
      ],
      downtime: downtime(60, 0, 6),
      baseDowntime: downtime(60, 0, 0),
    },
    {
      hour: 1,
      start: new Date('2026-03-02T01:00:00Z'),
      endpoints: [
        { standard: 'uk-obie', service: 'account-information', endpoint: 'GET /a', figures: figures(0, 0, 0, 0, 0, 0), byTpp: [], downtime: downtime(30, 30, 0) },
        { standard: 'uk-obie', service: 'payment-initiation', endpoint: 'POST /p', figures: figures(5, 0, 0, 500, 80, 120), byTpp: [{ clientId: 'c1', figures: figures(5, 0, 0, 500, 80, 120) }], downtime: downtime(30, 30, 0) },
      ],
      downtime: downtime(30, 30, 0),
      baseDowntime: downtime(30, 30, 0),
    },
  ],
} as unknown as KpiDay;

describe('console performance series from the insights KPIs', () => {
  it('per hour: calls, error rates, mean and range of latency, availability of the interface', () => {
    const [h0, h1] = hourlyPoints(day);
    assert.deepEqual(h0, { label: '00:00', calls: 10, errorRate: 20, technicalErrorRate: 10, p50Ms: null, p95Ms: null, p99Ms: null, meanMs: 100, minMs: 20, maxMs: 300, meanTtfbMs: 50, availability: 90 });
    assert.deepEqual([h1!.calls, h1!.minMs, h1!.maxMs, h1!.availability], [5, 80, 120, 0]);
  });

  it('per TPP and per endpoint: only their calls, the endpoint its own downtime', () => {
    assert.deepEqual(hourlyPoints(day, { clientId: 'c1' }).map((p) => [p.calls, p.technicalErrorRate, p.minMs]), [[4, 25, 50], [5, 0, 80]]);
    assert.deepEqual(hourlyPoints(day, { endpoint: 'POST /p' }).map((p) => [p.calls, p.availability]), [[0, 100], [5, 0]]);
  });

  it('percentiles come from the distributions of the same hour, day, endpoint or TPP; none where none was recorded', () => {
    const p = (key: string, p50Ms: number) => ({ key, calls: 1, p50Ms, p95Ms: p50Ms * 2, p99Ms: p50Ms * 3 });
    const hourly = hourlyPoints(day, {}, [p('2026-03-02T01:00:00.000Z', 40)]);
    assert.deepEqual(hourly.map((point) => [point.p50Ms, point.p95Ms, point.p99Ms]), [[null, null, null], [40, 80, 120]]);
    assert.deepEqual(dailyPoints([day], {}, [p('2026-03-01', 1), p('2026-03-02', 7)]).map((point) => point.p99Ms), [21]);
    const breakdown = dayBreakdown(day, { endpoints: [p('POST /p', 9)], tpps: [p('c2', 5)] });
    assert.deepEqual(breakdown.endpoints.map((e) => [e.name, e.point.p50Ms]), [['GET /a', null], ['POST /p', 9]]);
    assert.deepEqual(breakdown.tpps.map((t) => [t.name, t.point.p50Ms]), [['c1', null], ['c2', 5]]);
  });

  it('per day, and the day broken down by endpoint and TPP', () => {
    const [point] = dailyPoints([day]);
    assert.deepEqual([point!.label, point!.calls, point!.availability], ['2026-03-02', 15, 60]);
    const breakdown = dayBreakdown(day);
    assert.deepEqual(breakdown.endpoints.map((e) => [e.name, e.point.calls]), [['GET /a', 10], ['POST /p', 5]]);
    assert.deepEqual(breakdown.tpps.map((t) => [t.name, t.point.calls]), [['c1', 9], ['c2', 6]]);
  });
});
