import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { auditCheckpointSigner } from '../app/audit-checkpoint-signer.ts';
import { AUDIT_KINDS, AUDIT_MAX_PAGE, auditRecordJson, createAuditModule, type AuditApi, type AuditKind, type AuditQuery } from '../modules/audit/index.ts';
import { loadConfig } from '../platform/config/index.ts';
import type { DatabaseHandle } from '../platform/db/index.ts';
import { CliError } from './cli-errors.ts';
import { withDatabase } from './embedded-database.ts';
import { pino } from 'pino';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The audit trail as a command sees it: verification and reads only (it signs nothing). */
function auditOf({ db }: DatabaseHandle): AuditApi {
  const config = loadConfig();
  return createAuditModule({ db, signer: auditCheckpointSigner(db), settings: config.audit, logger: pino({ level: 'silent' }) });
}

const bigintText = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);

/**
 * `portico audit verify [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]`: proves each day's chain
 * and the bank's signatures on its checkpoints; prints each day as it is done and the first break.
 * Exits 1 when the trail is broken.
 */
export async function auditVerifyCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
  for (const [name, value] of [['--from', values.from], ['--to', values.to]] as const) {
    if (value !== undefined && !DAY.test(value)) throw new CliError(`${name} must be a UTC day, YYYY-MM-DD (got "${value}")`, 2);
  }
  const report = await withDatabase(loadConfig(), {
    direct: (database) =>
      auditOf(database).verify({ from: values.from, to: values.to }, (verdict) => {
        if (values.json) return;
        const what = verdict.status === 'expired' ? 'expired; its last checkpoint verifies' : `${verdict.records} record(s), ${verdict.checkpoints} checkpoint(s)`;
        process.stdout.write(`${verdict.partition}  ${verdict.status.padEnd(7)}  ${what}\n`);
      }),
  });
  if (values.json) process.stdout.write(`${JSON.stringify(report, bigintText, 2)}\n`);
  else if (report.partitions.length === 0) process.stdout.write('No audit records in that range.\n');
  else if (report.firstBreak) {
    const { partition, seq, kind, detail } = report.firstBreak;
    process.stdout.write(`BROKEN: the first break is in ${partition} at record ${seq} (${kind}): ${detail}\n`);
  } else process.stdout.write(`Intact: ${report.partitions.length} day(s) verified.\n`);
  if (!report.ok) throw new CliError('the audit trail is broken', 1);
}

const FILTERS = {
  client: { type: 'string' },
  organisation: { type: 'string' },
  consent: { type: 'string' },
  psu: { type: 'string' },
  interaction: { type: 'string' },
  kind: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
} as const;

function queryOf(values: { [K in keyof typeof FILTERS]?: string | undefined }): AuditQuery {
  const instant = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) throw new CliError(`--${name} must be an ISO 8601 time or day (got "${value}")`, 2);
    return at;
  };
  if (values.kind !== undefined && !(AUDIT_KINDS as readonly string[]).includes(values.kind)) throw new CliError(`--kind must be one of ${AUDIT_KINDS.join(', ')}`, 2);
  return {
    clientId: values.client,
    organisationId: values.organisation,
    consentId: values.consent,
    psuId: values.psu,
    interactionId: values.interaction,
    kind: values.kind as AuditKind | undefined,
    from: instant('from', values.from),
    to: instant('to', values.to),
  };
}

/** `portico audit search [filters] [--limit N] [--json]`: the newest records matching, one line each. */
export async function auditSearchCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { ...FILTERS, limit: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_MAX_PAGE) throw new CliError(`--limit must be a whole number from 1 to ${AUDIT_MAX_PAGE}`, 2);
  const query = queryOf(values);
  const page = await withDatabase(loadConfig(), { direct: (database) => auditOf(database).search(query, limit) });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(page.records.map(auditRecordJson), null, 2)}\n`);
    return;
  }
  for (const record of page.records) {
    const who = [record.clientId && `client ${record.clientId}`, record.consentId && `consent ${record.consentId}`, record.psuId && `PSU ${record.psuId}`].filter(Boolean).join(', ');
    process.stdout.write(`${record.at.toISOString()}  ${record.kind.padEnd(17)} ${record.action}  → ${record.outcome}${who ? `  (${who})` : ''}  [${record.partition}#${record.seq}]\n`);
  }
  process.stdout.write(`${page.records.length} record(s)${page.next ? ` (the newest ${limit}; narrow the search or raise --limit)` : ''}.\n`);
}

/** `portico audit export [filters] [--out FILE]`: every record matching, oldest first, as JSON lines. */
export async function auditExportCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { ...FILTERS, out: { type: 'string' } }, strict: true });
  const query = queryOf(values);
  const out = values.out ? createWriteStream(values.out) : process.stdout;
  let count = 0;
  await withDatabase(loadConfig(), {
    direct: async (database) => {
      for await (const record of auditOf(database).export(query)) {
        if (!out.write(`${JSON.stringify(auditRecordJson(record))}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        count += 1;
        if (values.out && count % 10_000 === 0) process.stderr.write(`\r${count} records exported…`);
      }
    },
  });
  if (values.out) {
    await new Promise<void>((resolve, reject) => (out as ReturnType<typeof createWriteStream>).end((error?: Error | null) => (error ? reject(error) : resolve())));
    process.stderr.write(`\r${count} record(s) exported to ${values.out}\n`);
  }
}
