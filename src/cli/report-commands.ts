import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseInstant } from '../platform/calendar/index.ts';
import { loadConfig } from '../platform/config/index.ts';
import { createInsightsModule, rts32Csv } from '../modules/insights/index.ts';
import { buildMiReports, validateMiReport, type MiTppBrand } from '../standards/uk-obie/mi-reporting/index.ts';
import { CliError } from './cli-errors.ts';
import { withDatabase } from './embedded-database.ts';
import { progressBar } from './progress-bar.ts';

async function jsonFile<T>(file: string | undefined, what: string): Promise<T | undefined> {
  if (file === undefined) return undefined;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    throw new CliError(`cannot read ${what} from ${file}: ${(error as Error).message}`, 2);
  }
}

/**
 * `portico report mi --date YYYY-MM-DD`: the OB MI "Performance and Availability" and "Overall
 * Performance" hourly reports of a UTC day as JSON on stdout, each validated against the official
 * schema (exit 1 if one is not).
 */
export async function reportMiCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { date: { type: 'string' }, 'aspsp-brand-id': { type: 'string' }, 'endpoint-ids': { type: 'string' }, 'tpp-brands': { type: 'string' }, 'psu-segment': { type: 'string' } },
    strict: true,
  });
  if (!values.date) throw new CliError('usage: portico report mi --date YYYY-MM-DD [--aspsp-brand-id N] [--endpoint-ids FILE] [--tpp-brands FILE] [--psu-segment Retail|Business]', 2);
  const aspspBrandId = values['aspsp-brand-id'] === undefined ? 1 : Number(values['aspsp-brand-id']);
  if (!Number.isInteger(aspspBrandId) || aspspBrandId < 1 || aspspBrandId > 9999) throw new CliError('--aspsp-brand-id must be a whole number from 1 to 9999', 2);
  const psuSegment = values['psu-segment'] ?? 'Retail';
  if (psuSegment !== 'Retail' && psuSegment !== 'Business') throw new CliError('--psu-segment must be Retail or Business', 2);
  const endpointIds = await jsonFile<Record<string, number>>(values['endpoint-ids'], 'endpoint ids');
  const tppBrands = await jsonFile<Record<string, MiTppBrand>>(values['tpp-brands'], 'TPP brands');
  const date = values.date;
  const config = loadConfig();
  const day = await withDatabase(config, { direct: ({ db }) => createInsightsModule({ db, retentionDays: config.housekeeping.kpiRetentionDays }).day(date) });
  const reports = buildMiReports(day, {
    aspspBrandId,
    psuSegment,
    ...(endpointIds ? { endpointIds: new Map(Object.entries(endpointIds)) } : {}),
    ...(tppBrands ? { tppBrands: new Map(Object.entries(tppBrands)) } : {}),
  });
  let invalid = 0;
  let defects = 0;
  const check = (kind: 'PerformanceAndAvailability' | 'OverallPerformance', report: { reportTime: string }) => {
    const result = validateMiReport(kind, report);
    defects += result.specDefects.length;
    if (!result.valid) {
      invalid++;
      process.stderr.write(`${kind} ${report.reportTime}: ${result.errors.map((error) => `${error.instancePath} ${error.message}`).join('; ')}\n`);
    }
  };
  for (const report of reports.performanceAndAvailability) check('PerformanceAndAvailability', report);
  for (const report of reports.overallPerformance) check('OverallPerformance', report);
  process.stdout.write(`${JSON.stringify({ performanceAndAvailability: reports.performanceAndAvailability, overallPerformance: reports.overallPerformance }, null, 2)}\n`);
  const hours = reports.performanceAndAvailability.length;
  process.stderr.write(`${hours} hour(s) of ${date}: ${invalid === 0 ? 'valid against' : `${invalid} report(s) NOT valid against`} specs/uk-obie/mi-reporting/mi-data-high-frequency-openapi.yaml`);
  process.stderr.write(defects > 0 ? ` (${defects} reportTime value(s) the file's own pattern refuses: see docs/insights.md)\n` : '\n');
  if (reports.unnumberedEndpoints.length > 0) process.stderr.write(`left out, no MI endpoint id (--endpoint-ids): ${reports.unnumberedEndpoints.join(', ')}\n`);
  if (invalid > 0) process.exitCode = 1;
}

/** `portico report rts32 --quarter YYYY-Qn [--format json|csv]`: the PSD2 RTS Art. 32(4) statistics of the dedicated interface. */
export async function reportRts32Command(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { quarter: { type: 'string' }, format: { type: 'string' } }, strict: true });
  const format = values.format ?? 'json';
  if (!values.quarter || (format !== 'json' && format !== 'csv')) throw new CliError('usage: portico report rts32 --quarter YYYY-Qn [--format json|csv]', 2);
  const quarter = values.quarter;
  const config = loadConfig();
  const progress = progressBar();
  const statistics = await withDatabase(config, { direct: ({ db }) => createInsightsModule({ db, retentionDays: config.housekeeping.kpiRetentionDays }).quarter(quarter, (done, total) => progress.update('days', done, total)) }).finally(() => progress.stop());
  process.stdout.write(format === 'csv' ? rts32Csv(statistics) : `${JSON.stringify(statistics, null, 2)}\n`);
}

/** `portico report planned-downtime --from ISO --to ISO --reason TEXT`: announces planned downtime of the dedicated interface. */
export async function reportPlannedDowntimeCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' }, reason: { type: 'string' } }, strict: true });
  const usage = 'usage: portico report planned-downtime --from TIME --to TIME --reason TEXT (times with their offset, 2026-12-06T22:00:00Z)';
  if (values.from === undefined || values.to === undefined || !values.reason) throw new CliError(usage, 2);
  // A window read wrongly would count downtime as planned that was not, in the regulator's statistics.
  const [from, to] = [parseInstant(values.from), parseInstant(values.to)];
  if (!from) throw new CliError(`--from must be a time with its offset (2026-12-06T22:00:00Z) or a UTC day (got "${values.from}")`, 2);
  if (!to) throw new CliError(`--to must be a time with its offset (2026-12-06T23:00:00Z) or a UTC day (got "${values.to}")`, 2);
  const config = loadConfig();
  const downtime = await withDatabase(config, { direct: ({ db }) => createInsightsModule({ db, retentionDays: config.housekeeping.kpiRetentionDays }).declarePlannedDowntime({ from, to, reason: values.reason! }) });
  process.stdout.write(`Planned downtime ${downtime.id}: ${downtime.from.toISOString()} to ${downtime.to.toISOString()} (${downtime.reason}).\n`);
}
