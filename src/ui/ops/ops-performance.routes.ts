import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { OpsConsoleOptions } from './ops-console-options.ts';
import type { OpsGuard } from './ops-guard.ts';
import { Html } from '../psu/html.ts';
import { html, opsPage, sendOpsPage } from './ops-layout.ts';
import { dailyPoints, dayBreakdown, hourlyPoints, type PerformancePoint } from './performance-series.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAYS_SHOWN = 7;

/**
 * API performance from the insights KPIs: per hour of a day and per day of the week before it,
 * calls, error rates, latency (mean, fastest, slowest) and availability, for the whole interface,
 * one endpoint or one TPP; drawn by Chart.js, served from the app's own assets (no CDN).
 */
export async function opsPerformanceRoutes(app: FastifyInstance, options: OpsConsoleOptions & { readonly guard: OpsGuard }): Promise<void> {
  const { insights, guard } = options;
  // chart.js's package main is dist/chart.cjs: its UMD build is beside it.
  const chartJs = await fs.readFile(path.join(path.dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'));
  app.get('/ops/assets/chart.umd.min.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(chartJs));

  app.get<{ Querystring: { date?: string; endpoint?: string; tpp?: string } }>('/ops/performance', async (request, reply) => {
    const context = await guard.signedIn(request, reply);
    if (!context) return reply;
    const date = DAY.test(request.query.date ?? '') ? request.query.date! : new Date().toISOString().slice(0, 10);
    const filter = { endpoint: request.query.endpoint?.trim() || undefined, clientId: request.query.tpp?.trim() || undefined };
    const start = Date.parse(`${date}T00:00:00Z`);
    const days = await Promise.all(Array.from({ length: DAYS_SHOWN }, (_, i) => insights.day(new Date(start - (DAYS_SHOWN - 1 - i) * 86_400_000).toISOString().slice(0, 10))));
    const day = days[days.length - 1]!;
    const hourly = hourlyPoints(day, filter);
    const daily = dailyPoints(days, filter);
    const breakdown = dayBreakdown(day);
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
<label for="endpoint">Endpoint</label><select id="endpoint" name="endpoint"><option value="">all</option>${endpointsCalled.map((e) => html`<option value="${e}" ${e === filter.endpoint ? html`selected` : ''}>${e}</option>`)}</select>
<label for="tpp">TPP client id</label><input id="tpp" name="tpp" type="search" value="${filter.clientId ?? ''}">
<button type="submit">Show</button></form>
<script type="application/json" id="performance-data">${new Html(data)}</script>
<p class="hint">Latency: the KPIs keep each hour's total, fastest and slowest time to last byte, so the charts show the mean and the range, not percentiles.</p>
<section class="charts">
<figure><figcaption>Calls per hour, ${date}</figcaption><canvas id="chart-calls" data-series="hourly" data-kind="calls" role="img" aria-label="Calls per hour"></canvas></figure>
<figure><figcaption>Error rates per hour (%)</figcaption><canvas id="chart-errors" data-series="hourly" data-kind="errors" role="img" aria-label="Error rates per hour"></canvas></figure>
<figure><figcaption>Latency per hour (ms)</figcaption><canvas id="chart-latency" data-series="hourly" data-kind="latency" role="img" aria-label="Latency per hour"></canvas></figure>
<figure><figcaption>Availability per hour (%)</figcaption><canvas id="chart-availability" data-series="hourly" data-kind="availability" role="img" aria-label="Availability per hour"></canvas></figure>
<figure><figcaption>Calls and errors per day, ${DAYS_SHOWN} days</figcaption><canvas id="chart-daily" data-series="daily" data-kind="daily" role="img" aria-label="Calls per day"></canvas></figure>
</section>
<h2>Per endpoint, ${date}</h2>${pointsTable(breakdown.endpoints, 'Endpoint')}
<h2>Per TPP, ${date}</h2>${pointsTable(breakdown.tpps, 'TPP client id')}`,
      }),
    );
  });
}

function pointsTable(rows: ReadonlyArray<{ name: string; point: PerformancePoint }>, heading: string) {
  if (rows.length === 0) return html`<p>No calls.</p>`;
  return html`<table><thead><tr><th scope="col">${heading}</th><th scope="col">Calls</th><th scope="col">Errors %</th><th scope="col">5xx %</th><th scope="col">Mean ms</th><th scope="col">Fastest ms</th><th scope="col">Slowest ms</th><th scope="col">Availability %</th></tr></thead>
<tbody>${rows.map(({ name, point: p }) => html`<tr><td>${name}</td><td>${p.calls}</td><td>${p.errorRate}</td><td>${p.technicalErrorRate}</td><td>${p.meanMs}</td><td>${p.minMs}</td><td>${p.maxMs}</td><td>${p.availability ?? ''}</td></tr>`)}</tbody></table>`;
}
