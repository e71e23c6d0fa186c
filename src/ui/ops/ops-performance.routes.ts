import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { OpsConsoleOptions } from './ops-console-options.ts';
import type { OpsGuard } from './ops-guard.ts';
import { Html } from '../psu/html.ts';
import { html, opsPage, sendOpsPage } from './ops-layout.ts';
import { dailyPoints, dayBreakdown, hourlyPoints, type PerformancePoint } from './performance-series.ts';
import { utcDayOf } from '../../platform/calendar/index.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
/** The ranges of the daily charts: a week, or a month for longer trends. */
const RANGES = [7, 30] as const;

/**
 * API performance from the insights KPIs: per hour of a day and per day of the week (or month)
 * before it, calls, error rates, time-to-last-byte percentiles (p50/p95/p99, from the stored
 * distributions), mean and range, and availability, for the whole interface, one endpoint or one
 * TPP; drawn by Chart.js, served from the app's own assets (no CDN), and the same figures as tables.
 */
export async function opsPerformanceRoutes(app: FastifyInstance, options: OpsConsoleOptions & { readonly guard: OpsGuard }): Promise<void> {
  const { insights, guard } = options;
  // chart.js's package main is dist/chart.cjs: its UMD build is beside it.
  const chartJs = await fs.readFile(path.join(path.dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'));
  app.get('/ops/assets/chart.umd.min.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(chartJs));

  app.get<{ Querystring: { date?: string; endpoint?: string; tpp?: string; days?: string } }>('/ops/performance', async (request, reply) => {
    const context = await guard.signedIn(request, reply);
    if (!context) return reply;
    const date = DAY.test(request.query.date ?? '') ? request.query.date! : utcDayOf(new Date());
    const shown = RANGES.find((range) => String(range) === request.query.days) ?? RANGES[0];
    const filter = { endpoint: request.query.endpoint?.trim() || undefined, clientId: request.query.tpp?.trim() || undefined };
    const start = Date.parse(`${date}T00:00:00Z`);
    const dayRange = { from: new Date(start), to: new Date(start + DAY_MS) };
    const [days, hourLatency, dayLatency, endpointLatency, tppLatency] = await Promise.all([
      Promise.all(Array.from({ length: shown }, (_, i) => insights.day(utcDayOf(start - (shown - 1 - i) * DAY_MS)))),
      insights.latency({ ...dayRange, ...filter, by: 'hour' }),
      insights.latency({ from: new Date(start - (shown - 1) * DAY_MS), to: dayRange.to, ...filter, by: 'day' }),
      insights.latency({ ...dayRange, by: 'endpoint' }),
      insights.latency({ ...dayRange, by: 'tpp' }),
    ]);
    const day = days[days.length - 1]!;
    const hourly = hourlyPoints(day, filter, hourLatency);
    const daily = dailyPoints(days, filter, dayLatency);
    const breakdown = dayBreakdown(day, { endpoints: endpointLatency, tpps: tppLatency });
    const endpointsCalled = [...new Set(day.hours.flatMap((hour) => hour.endpoints.map((e) => e.endpoint)))].sort();
    // The series travel as a JSON data block (not executed; the CSP allows no inline script), `<`
    // escaped so the text cannot close the element.
    const data = JSON.stringify({ hourly, daily }).replace(/</g, '\\u003c');
    return sendOpsPage(
      reply,
      opsPage({
        title: 'API performance',
        operator: context.operator,
        csrf: context.session.csrf,
        scripts: ['chart.umd.min.js', 'ops-charts.js'],
        body: html`<form method="get" action="/ops/performance" role="search" class="search">
<label for="date">Day (UTC)</label><input id="date" name="date" type="date" value="${date}">
<label for="days">Daily charts over</label><select id="days" name="days">${RANGES.map((range) => html`<option value="${String(range)}" ${range === shown ? html`selected` : ''}>${String(range)} days</option>`)}</select>
<label for="endpoint">Endpoint</label><select id="endpoint" name="endpoint"><option value="">all</option>${endpointsCalled.map((e) => html`<option value="${e}" ${e === filter.endpoint ? html`selected` : ''}>${e}</option>`)}</select>
<label for="tpp">TPP client id</label><input id="tpp" name="tpp" type="search" value="${filter.clientId ?? ''}">
<button type="submit">Show</button></form>
<script type="application/json" id="performance-data">${new Html(data)}</script>
<p class="hint">Percentiles of time to last byte are read from each hour's distribution, counted in buckets 10% wide: each is within 5% of the exact figure. Hours recorded before distributions were kept have none.</p>
<section class="charts">
<figure><figcaption>Calls per hour, ${date}</figcaption><canvas id="chart-calls" data-series="hourly" data-kind="calls" role="img" aria-label="Calls per hour"></canvas></figure>
<figure><figcaption>Error rates per hour (%)</figcaption><canvas id="chart-errors" data-series="hourly" data-kind="errors" role="img" aria-label="Error rates per hour"></canvas></figure>
<figure><figcaption>Time to last byte per hour: p50, p95, p99 (ms)</figcaption><canvas id="chart-percentiles" data-series="hourly" data-kind="percentiles" role="img" aria-label="Time to last byte percentiles per hour"></canvas></figure>
<figure><figcaption>Availability per hour (%)</figcaption><canvas id="chart-availability" data-series="hourly" data-kind="availability" role="img" aria-label="Availability per hour"></canvas></figure>
<figure><figcaption>Time to last byte per hour: mean and range (ms)</figcaption><canvas id="chart-latency" data-series="hourly" data-kind="latency" role="img" aria-label="Latency per hour"></canvas></figure>
<figure><figcaption>Calls and errors per day, ${String(shown)} days</figcaption><canvas id="chart-daily" data-series="daily" data-kind="daily" role="img" aria-label="Calls per day"></canvas></figure>
<figure><figcaption>Time to last byte per day: p50, p95, p99 (ms), ${String(shown)} days</figcaption><canvas id="chart-percentiles-daily" data-series="daily" data-kind="percentiles" role="img" aria-label="Time to last byte percentiles per day"></canvas></figure>
<figure><figcaption>Availability per day (%), ${String(shown)} days</figcaption><canvas id="chart-availability-daily" data-series="daily" data-kind="availability" role="img" aria-label="Availability per day"></canvas></figure>
</section>
<h2>Hour by hour, ${date}</h2>${pointsTable(hourly.map((point) => ({ name: point.label, point })), 'Hour (UTC)')}
<h2>Day by day, ${String(shown)} days</h2>${pointsTable(daily.map((point) => ({ name: point.label, point })), 'Day (UTC)')}
<h2>Per endpoint, ${date}</h2>${pointsTable(breakdown.endpoints, 'Endpoint')}
<h2>Per TPP, ${date}</h2>${pointsTable(breakdown.tpps, 'TPP client id')}`,
      }),
    );
  });
}

function pointsTable(rows: ReadonlyArray<{ name: string; point: PerformancePoint }>, heading: string) {
  if (rows.length === 0) return html`<p>No calls.</p>`;
  return html`<table><thead><tr><th scope="col">${heading}</th><th scope="col">Calls</th><th scope="col">Errors %</th><th scope="col">5xx %</th><th scope="col">p50 ms</th><th scope="col">p95 ms</th><th scope="col">p99 ms</th><th scope="col">Mean ms</th><th scope="col">Fastest ms</th><th scope="col">Slowest ms</th><th scope="col">Availability %</th></tr></thead>
<tbody>${rows.map(({ name, point: p }) => html`<tr><td>${name}</td><td>${p.calls}</td><td>${p.errorRate}</td><td>${p.technicalErrorRate}</td><td>${p.p50Ms ?? ''}</td><td>${p.p95Ms ?? ''}</td><td>${p.p99Ms ?? ''}</td><td>${p.meanMs}</td><td>${p.minMs}</td><td>${p.maxMs}</td><td>${p.availability ?? ''}</td></tr>`)}</tbody></table>`;
}
