/**
 * bench:audit — the audit trail's ingest and what observing every call costs the server.
 *
 * 1. Ingest on PostgreSQL (DATABASE_URL): BENCH_AUDIT_RECORDS (default 300,000) API-call records
 *    taken by the trail as a server takes them (`record`, in memory) until the last is committed:
 *    chained, batched (AUDIT_BATCH_SIZE, default 5000), written by binary COPY with their
 *    checkpoints signed (ES256). Baseline, in the same run: raw `COPY`s (psql `\copy`, client side)
 *    of the same rows, hashes precomputed, into a table of the same shape and indexes, from a CSV
 *    file and from a file in COPY's binary format; the ratio is to the faster. Interleaved over
 *    BENCH_ROUNDS rounds (default 5). Targets: ≥ 100,000 records/s and ≥ 50% of the COPY rate.
 *    `BENCH_ONLY=ingest` runs only this part.
 * 2. Server CPU per API call with the audit record, the KPIs and the rate limits on, against the
 *    same call with them off (BENCH_OBSERVE_CALLS=false, RATE_LIMITS=false): two platforms in child
 *    processes (bench/bench-ais-server.ts) with ROLE=api, as a deployment serves its API (the
 *    sandbox bank seeded beforehand, as ROLE=migrate does), the same OB balances read in closed
 *    loop, phases interleaved. Target: ≤ 15% more. Both servers used to run ROLE=all, which also
 *    runs every worker job in the serving process: the observed one's anomaly detection read the
 *    trail of its own calls on the scheduler's clock, landing in whichever round it fell in. In a
 *    deployment detection runs in the workers (docs/deployment.md, decision 0002a), so it is
 *    measured apart: after the rounds, detection as a worker runs it (src/modules/risk: features,
 *    baselines, model) over the trail of the rounds' observed calls, its CPU time per call, and the
 *    figure with it added is printed too. `BENCH_ONLY=overhead` runs only this part;
 *    `BENCH_OBSERVED_ENV` (JSON) adds settings to the observed server: `{"RATE_LIMITS":"false"}`
 *    measures the audit record and the KPIs alone, `{"BENCH_OBSERVE_CALLS":"false"}` the rate limits alone,
 *    `{"RATE_LIMIT_LEASE":"1"}` with every request counted in Redis (no slices, decision 0017f).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { CompactSign, compactVerify, generateKeyPair } from 'jose';
import { pino } from 'pino';
import { createAuditModule, type AuditEntry, type CheckpointSigner } from '../src/modules/audit/index.ts';
import { chainEntries, genesisHash } from '../src/modules/audit/audit-chain.ts';
import { createRiskModule, DEFAULT_RULE_RESPONSES, type RiskResponder } from '../src/modules/risk/index.ts';
import { createSandboxModule, DEFAULT_SANDBOX_SEED } from '../src/modules/sandbox/index.ts';
import { openBenchDatabase } from './bench-database.ts';
import { deleteBenchStreams } from './bench-nats.ts';
import { aisClient, closedLoop, newSamples, processCpuMicros, sharedDeploymentEnv, startBenchServer, stopBenchServer } from './bench-harness.ts';
import type { BenchAisServerReady } from './bench-ais-server.ts';

const RECORDS = Number(process.env['BENCH_AUDIT_RECORDS'] ?? 300_000);
const BATCH = Number(process.env['AUDIT_BATCH_SIZE'] ?? 5000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The baseline's rows as CSV: the records chained beforehand, in a function of their own so that none stays in memory while the trail's ingest is timed. */
async function writeCsv(file: string, entry: (i: number) => AuditEntry): Promise<void> {
  const out = createWriteStream(file);
  const quote = (value: string | null) => (value === null ? '' : `"${value.replaceAll('"', '""')}"`);
  const day = new Date().toISOString().slice(0, 10);
  const rows = chainEntries(`copy-${day}`, { seq: 0n, hash: genesisHash(day) }, Array.from({ length: RECORDS }, (_, i) => entry(i)));
  for (const r of rows) {
    out.write(`${[r.partition, r.seq.toString(), r.at.toISOString(), r.kind, r.action, r.outcome, r.clientId, r.organisationId, r.consentId, r.psuId, r.interactionId, r.details, r.prevHash, r.hash].map((v) => quote(v)).join(',')}\n`);
  }
  out.end();
  await once(out, 'finish');
}

async function ingestPart(): Promise<{ ingest: number; copyCsv: number; copyBinary: number }> {
  const database = await openBenchDatabase(4);
  try {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const signer: CheckpointSigner = {
      sign: (payload) => new CompactSign(payload).setProtectedHeader({ alg: 'ES256', kid: 'bench' }).sign(privateKey),
      verify: async (jws) => (await compactVerify(jws, publicKey)).payload,
    };
    const entry = (i: number): AuditEntry => ({
      at: new Date(),
      kind: 'api-call',
      action: 'GET /open-banking/v4.0/aisp/accounts/{AccountId}/balances',
      outcome: i % 50 === 0 ? '403' : '200',
      clientId: `client-${i % 40}`,
      consentId: `aac-${i % 5000}`,
      psuId: `psu-${i % 3000}`,
      interactionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      details: { path: `/open-banking/v4.0/aisp/accounts/${i % 9000}/balances`, status: 200, latencyMs: 3.2, sourceIp: '10.0.0.7', certificateSha256: 'ab'.repeat(32) },
    });
    // The baseline's rows: the same records, chained beforehand, as CSV and in COPY's binary format (not timed).
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-bench-audit-'));
    const files = { csv: path.join(dir, 'records.csv'), binary: path.join(dir, 'records.bin') };
    await writeCsv(files.csv, entry);
    await sql`CREATE TABLE bench_audit_copy (LIKE audit_records INCLUDING ALL)`.execute(database.db);
    const psqlCopy = async (command: string): Promise<number> => {
      const started = process.hrtime.bigint();
      const psql = spawn('psql', [database.url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', command], { stdio: ['ignore', 'ignore', 'inherit'] });
      const [code] = (await once(psql, 'exit')) as [number];
      if (code !== 0) throw new Error(`psql ${command} failed (${code}): is psql installed?`);
      return RECORDS / (Number(process.hrtime.bigint() - started) / 1e9);
    };
    await psqlCopy(`\\copy bench_audit_copy FROM '${files.csv}' WITH (FORMAT csv)`);
    await psqlCopy(`\\copy bench_audit_copy TO '${files.binary}' WITH (FORMAT binary)`);

    const copyRates = { csv: [] as number[], binary: [] as number[] };
    const ingestRates: number[] = [];
    console.log(`ingest: ${RECORDS.toLocaleString('en')} records per run, batches of ${BATCH}, ${ROUNDS} rounds`);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const format of ['csv', 'binary'] as const) {
        await sql`TRUNCATE bench_audit_copy`.execute(database.db);
        copyRates[format].push(await psqlCopy(`\\copy bench_audit_copy FROM '${files[format]}' WITH (FORMAT ${format})`));
      }
      await sql`TRUNCATE bench_audit_copy, audit_records, audit_checkpoints, audit_partitions`.execute(database.db);

      const audit = createAuditModule({ db: database.db, pgConnection: database.pgConnection, signer, settings: { maxBuffered: RECORDS + 1, batchSize: BATCH, flushIntervalMs: 10, overflow: 'drop', retentionDays: 30 }, logger: pino({ level: 'silent' }) });
      audit.start();
      const started = process.hrtime.bigint();
      for (let i = 0; i < RECORDS; i++) audit.record(entry(i));
      while (audit.buffered() > 0) await sleep(2);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      await audit.stop();
      ingestRates.push(RECORDS / seconds);
      console.log(`round ${round}/${ROUNDS}: raw COPY csv ${copyRates.csv.at(-1)!.toFixed(0)}/s, binary ${copyRates.binary.at(-1)!.toFixed(0)}/s; audit ingest ${(RECORDS / seconds).toFixed(0)}/s`);
    }
    await fs.rm(dir, { recursive: true, force: true });
    const verified = await createAuditModule({ db: database.db, signer, settings: { maxBuffered: 1, batchSize: 1, flushIntervalMs: 10, overflow: 'drop', retentionDays: 30 }, logger: pino({ level: 'silent' }) }).verify();
    if (!verified.ok || verified.partitions[0]?.records !== RECORDS) throw new Error(`the ingested trail does not verify: ${JSON.stringify(verified.firstBreak ?? verified.partitions, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
    return { ingest: median(ingestRates), copyCsv: median(copyRates.csv), copyBinary: median(copyRates.binary) };
  } finally {
    await database.close();
  }
}

/** Detection as a worker runs it (src/modules/risk) over the observed server's trail from `from` to `to`: its CPU time and the API calls it read. */
async function detectionCost(database: Awaited<ReturnType<typeof openBenchDatabase>>, from: Date, to: Date): Promise<{ micros: number; calls: number }> {
  const logger = pino({ level: 'silent' });
  const trail = createAuditModule({ db: database.db, signer: { sign: () => Promise.reject(new Error('not signing')), verify: async () => undefined }, settings: { maxBuffered: 1, batchSize: 1, flushIntervalMs: 10, overflow: 'drop', retentionDays: 30 }, logger });
  const noResponses: RiskResponder = { apply: async () => ({}), undo: async () => undefined, record: async () => undefined };
  const risk = createRiskModule({ db: database.db, trail, responder: noResponses, settings: { enabled: true, windowMs: 60_000, lagMs: 0, responses: DEFAULT_RULE_RESPONSES }, logger });
  // Detection starts where the rounds started (a first run would start one window back).
  await sql`INSERT INTO risk_watermark (name, processed_to) VALUES ('detection', ${from})`.execute(database.db);
  const before = process.cpuUsage();
  await risk.detect({ to });
  const used = process.cpuUsage(before);
  const counted = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_records WHERE kind = 'api-call' AND at >= ${from} AND at < ${to}`.execute(database.db);
  return { micros: used.user + used.system, calls: Number(counted.rows[0]!.n) };
}

async function overheadPart(): Promise<{ on: number; off: number; ratio: number; detectionPerCall: number }> {
  const databases = [await openBenchDatabase(1), await openBenchDatabase(1)];
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-bench-audit-'));
  const namespaces = [`bench-audit-on-${randomBytes(4).toString('hex')}`, `bench-audit-off-${randomBytes(4).toString('hex')}`];
  // API processes (ROLE=api) as a deployment runs them: the sandbox bank seeded beforehand, as ROLE=migrate does.
  for (const database of databases) await createSandboxModule({ db: database.db }).seed({ ...DEFAULT_SANDBOX_SEED, asOf: new Date() });
  const { env: shared, caPem } = await sharedDeploymentEnv(dir);
  const env = { ...shared, ROLE: 'api' };
  const servers = await Promise.all([
    // Observed: the audit record, the KPIs and the rate limits (allowances no read reaches).
    startBenchServer<BenchAisServerReady>('bench-ais-server.ts', { ...env, DATABASE_URL: databases[0]!.url, NATS_NAMESPACE: namespaces[0]!, RATE_LIMITS: 'true', RATE_LIMIT_ACCOUNTS_PER_CLIENT: '10000000', RATE_LIMIT_ACCOUNTS_PER_CONSENT: '10000000', ...(JSON.parse(process.env['BENCH_OBSERVED_ENV'] ?? '{}') as Record<string, string>) }),
    startBenchServer<BenchAisServerReady>('bench-ais-server.ts', { ...env, DATABASE_URL: databases[1]!.url, NATS_NAMESPACE: namespaces[1]!, RATE_LIMITS: 'false', BENCH_OBSERVE_CALLS: 'false' }),
  ]);
  try {
    // The servers' certificate is the deployment's, from the CA made above.
    const clients = await Promise.all(servers.map(({ ready }) => aisClient({ ...ready, caPem }, CONCURRENCY)));
    const phases = clients.map((client, i) => ({ name: i === 0 ? 'observed' : 'unobserved', pid: servers[i]!.child.pid, samples: newSamples(), cpu: 0, run: () => client.get(`/open-banking/v4.0/aisp/accounts/${client.accountId}/balances`) }));
    for (let i = 0; i < 300; i++) await Promise.all(phases.map((phase) => phase.run()));
    // Per round, both servers under the same load at the same time, each's CPU per call; the
    // figure is the median of the rounds' ratios. Run side by side, a burst of load elsewhere on
    // the machine falls on both phases alike rather than on whichever ran then.
    const ratios: number[] = [];
    const roundsFrom = new Date();
    for (let round = 1; round <= ROUNDS; round++) {
      process.stdout.write(`round ${round}/${ROUNDS}:`);
      const perCall = await Promise.all(
        phases.map(async (phase) => {
          const before = { n: phase.samples.latencies.length, s: phase.samples.seconds, cpu: processCpuMicros(phase.pid) };
          await closedLoop(phase.samples, { concurrency: CONCURRENCY, seconds: SECONDS, maxRequests: 30_000, expected: 200 }, phase.run);
          const cpu = processCpuMicros(phase.pid);
          const calls = phase.samples.latencies.length - before.n;
          const rate = calls / (phase.samples.seconds - before.s);
          if (before.cpu === undefined || cpu === undefined) return { phase, rate, micros: undefined };
          phase.cpu += cpu - before.cpu;
          return { phase, rate, micros: (cpu - before.cpu) / calls };
        }),
      );
      for (const { phase, rate, micros } of perCall) process.stdout.write(` ${phase.name} ${rate.toFixed(0)}/s ${micros?.toFixed(0) ?? '?'} µs`);
      if (perCall[0]!.micros !== undefined && perCall[1]!.micros !== undefined) ratios.push(perCall[0]!.micros / perCall[1]!.micros);
      process.stdout.write('\n');
    }
    const roundsTo = new Date();
    await Promise.all(clients.map((client) => client.pool.close()));
    const [on, off] = phases.map((phase) => phase.cpu / phase.samples.latencies.length);
    // The observed server writes its buffer every AUDIT_FLUSH_INTERVAL_MS (1 s): then every call of the rounds is in the trail.
    await sleep(2500);
    const detection = await detectionCost(databases[0]!, roundsFrom, roundsTo);
    return { on: on!, off: off!, ratio: median(ratios), detectionPerCall: detection.micros / detection.calls };
  } finally {
    await Promise.all(servers.map(({ child }) => stopBenchServer(child)));
    await Promise.all(databases.map((database) => database.close()));
    await deleteBenchStreams(NATS_URL, namespaces);
    await fs.rm(dir, { recursive: true, force: true });
  }
}

const ingest = process.env['BENCH_ONLY'] === 'overhead' ? { ingest: Number.NaN, copyCsv: Number.NaN, copyBinary: Number.NaN } : await ingestPart();
// The ratio is to the faster of the two raw COPYs.
const copy = Math.max(ingest.copyCsv, ingest.copyBinary);
if (process.env['BENCH_ONLY'] !== 'overhead') console.log(`audit ingest ${ingest.ingest.toFixed(0)} records/s; raw COPY csv ${ingest.copyCsv.toFixed(0)}/s, binary ${ingest.copyBinary.toFixed(0)}/s: ratio to the faster ${(ingest.ingest / copy).toFixed(3)} (targets ≥ 100000/s and ≥ 0.50)`);
if (process.env['BENCH_ONLY'] === 'ingest') process.exit(0);
console.log('');
console.log(`server CPU per API call, GET balances, ROLE=api, ${CONCURRENCY} in flight, ${ROUNDS} rounds of ${SECONDS} s:`);
const overhead = await overheadPart();
const added = overhead.ratio - 1;
const addedWithDetection = added + overhead.detectionPerCall / overhead.off;
console.log(`observed ${overhead.on.toFixed(0)} µs, unobserved ${overhead.off.toFixed(0)} µs over all rounds; median of the rounds' ratios: ${(added * 100).toFixed(1)}% added by audit + KPIs + rate limits in the API process (target ≤ 15%)`);
// No figure when the observed server recorded no call (BENCH_OBSERVE_CALLS=false in BENCH_OBSERVED_ENV).
if (Number.isFinite(overhead.detectionPerCall)) console.log(`anomaly detection (features, baselines, model) over the observed calls' trail, as a worker runs it: ${overhead.detectionPerCall.toFixed(1)} µs per call; with it, ${(addedWithDetection * 100).toFixed(1)}% added`);
console.log(
  JSON.stringify({
    bench: 'audit',
    ingestPerSecond: Math.round(ingest.ingest),
    copyCsvPerSecond: Math.round(ingest.copyCsv),
    copyBinaryPerSecond: Math.round(ingest.copyBinary),
    ingestToCopy: Number((ingest.ingest / copy).toFixed(3)),
    serverCpuMicrosObserved: Math.round(overhead.on),
    serverCpuMicrosUnobserved: Math.round(overhead.off),
    addedCpu: Number(added.toFixed(3)),
    detectionCpuMicrosPerCall: Number(overhead.detectionPerCall.toFixed(1)),
    addedCpuWithDetection: Number(addedWithDetection.toFixed(3)),
  }),
);
process.exit(0);
