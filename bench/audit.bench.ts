/**
 * bench:audit — the audit trail's ingest and what observing every call costs the server.
 *
 * 1. Ingest on PostgreSQL (DATABASE_URL): BENCH_AUDIT_RECORDS (default 300,000) API-call records
 *    taken by the trail as a server takes them (`record`, in memory) until the last is committed:
 *    chained, batched (AUDIT_BATCH_SIZE, default 5000), written with their checkpoints signed
 *    (ES256). Baseline, in the same run: a raw `COPY` (psql `\copy`, client side) of the same rows,
 *    hashes precomputed, into a table of the same shape and indexes. Interleaved over BENCH_ROUNDS
 *    rounds (default 3). Targets: ≥ 100,000 records/s and ≥ 50% of the COPY rate.
 * 2. Server CPU per API call with the audit record, the KPIs and the rate limits on, against the
 *    same call with them off (BENCH_OBSERVE_CALLS=false, RATE_LIMITS=false), two platforms in child
 *    processes (bench/bench-ais-server.ts), the same OB balances read in closed loop, phases
 *    interleaved. Target: ≤ 15% more. (Anomaly features are not built yet: not in the figure.)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { CompactSign, compactVerify, generateKeyPair } from 'jose';
import { createAuditModule, type AuditEntry, type CheckpointSigner } from '../src/modules/audit/index.ts';
import { chainEntries, genesisHash } from '../src/modules/audit/audit-chain.ts';
import { openBenchDatabase } from './bench-database.ts';
import { aisClient, closedLoop, newSamples, processCpuMicros, startBenchServer, stopBenchServer } from './bench-harness.ts';
import type { BenchAisServerReady } from './bench-ais-server.ts';

const RECORDS = Number(process.env['BENCH_AUDIT_RECORDS'] ?? 300_000);
const BATCH = Number(process.env['AUDIT_BATCH_SIZE'] ?? 5000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function ingestPart(): Promise<{ ingest: number; copy: number }> {
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
    // The baseline's rows: the same records, chained beforehand, as CSV (not timed).
    const csv = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'portico-bench-audit-')), 'records.csv');
    const out = createWriteStream(csv);
    const quote = (value: string | null) => (value === null ? '' : `"${value.replaceAll('"', '""')}"`);
    const day = new Date().toISOString().slice(0, 10);
    const rows = chainEntries(`copy-${day}`, { seq: 0n, hash: genesisHash(day) }, Array.from({ length: RECORDS }, (_, i) => entry(i)));
    for (const r of rows) {
      out.write(`${[r.partition, r.seq.toString(), r.at.toISOString(), r.kind, r.action, r.outcome, r.clientId, r.organisationId, r.consentId, r.psuId, r.interactionId, r.details, r.prevHash, r.hash].map((v) => quote(v)).join(',')}\n`);
    }
    out.end();
    await once(out, 'finish');
    await sql`CREATE TABLE bench_audit_copy (LIKE audit_records INCLUDING ALL)`.execute(database.db);

    const copyRates: number[] = [];
    const ingestRates: number[] = [];
    console.log(`ingest: ${RECORDS.toLocaleString('en')} records per run, batches of ${BATCH}, ${ROUNDS} rounds`);
    for (let round = 1; round <= ROUNDS; round++) {
      await sql`TRUNCATE bench_audit_copy, audit_records, audit_checkpoints, audit_partitions`.execute(database.db);
      const copyStarted = process.hrtime.bigint();
      const psql = spawn('psql', [database.url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `\\copy bench_audit_copy FROM '${csv}' WITH (FORMAT csv)`], { stdio: ['ignore', 'ignore', 'inherit'] });
      const [code] = (await once(psql, 'exit')) as [number];
      if (code !== 0) throw new Error(`psql \\copy failed (${code}): is psql installed?`);
      const copySeconds = Number(process.hrtime.bigint() - copyStarted) / 1e9;
      copyRates.push(RECORDS / copySeconds);

      const audit = createAuditModule({ db: database.db, pgConnection: database.pgConnection, signer, settings: { maxBuffered: RECORDS + 1, batchSize: BATCH, flushIntervalMs: 10, overflow: 'drop', retentionDays: 30 }, logger: (await import('pino')).pino({ level: 'silent' }) });
      audit.start();
      const started = process.hrtime.bigint();
      for (let i = 0; i < RECORDS; i++) audit.record(entry(i));
      while (audit.buffered() > 0) await new Promise((resolve) => setTimeout(resolve, 2));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      await audit.stop();
      ingestRates.push(RECORDS / seconds);
      console.log(`round ${round}/${ROUNDS}: raw COPY ${(RECORDS / copySeconds).toFixed(0)}/s, audit ingest ${(RECORDS / seconds).toFixed(0)}/s`);
    }
    const verified = await createAuditModule({ db: database.db, signer, settings: { maxBuffered: 1, batchSize: 1, flushIntervalMs: 10, overflow: 'drop', retentionDays: 30 }, logger: (await import('pino')).pino({ level: 'silent' }) }).verify();
    if (!verified.ok || verified.partitions[0]?.records !== RECORDS) throw new Error(`the ingested trail does not verify: ${JSON.stringify(verified.firstBreak ?? verified.partitions, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
    return { ingest: median(ingestRates), copy: median(copyRates) };
  } finally {
    await database.close();
  }
}

async function overheadPart(): Promise<{ on: number; off: number; ratio: number }> {
  const databases = [await openBenchDatabase(1), await openBenchDatabase(1)];
  const servers = await Promise.all([
    // Observed: the audit record, the KPIs and the rate limits (allowances no read reaches).
    startBenchServer<BenchAisServerReady>('bench-ais-server.ts', { DATABASE_URL: databases[0]!.url, REDIS_URL, LOG_LEVEL: 'warn', RATE_LIMITS: 'true', RATE_LIMIT_ACCOUNTS_PER_CLIENT: '10000000', RATE_LIMIT_ACCOUNTS_PER_CONSENT: '10000000', ...(JSON.parse(process.env['BENCH_OBSERVED_ENV'] ?? '{}') as Record<string, string>) }),
    startBenchServer<BenchAisServerReady>('bench-ais-server.ts', { DATABASE_URL: databases[1]!.url, REDIS_URL, LOG_LEVEL: 'warn', RATE_LIMITS: 'false', BENCH_OBSERVE_CALLS: 'false' }),
  ]);
  try {
    const clients = await Promise.all(servers.map(({ ready }) => aisClient(ready, CONCURRENCY)));
    const phases = clients.map((client, i) => ({ name: i === 0 ? 'observed' : 'unobserved', pid: servers[i]!.child.pid, samples: newSamples(), cpu: 0, run: () => client.get(`/open-banking/v4.0/aisp/accounts/${client.accountId}/balances`) }));
    for (let i = 0; i < 300; i++) await Promise.all(phases.map((phase) => phase.run()));
    // Per round, each phase's server CPU per call; the figure is the median of the rounds' ratios,
    // which a burst of load elsewhere on the machine during one phase moves least.
    const ratios: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      process.stdout.write(`round ${round}/${ROUNDS}:`);
      const perCall: number[] = [];
      for (const phase of phases) {
        const before = { n: phase.samples.latencies.length, s: phase.samples.seconds, cpu: processCpuMicros(phase.pid) };
        await closedLoop(phase.samples, { concurrency: CONCURRENCY, seconds: SECONDS, maxRequests: 30_000, expected: 200 }, phase.run);
        const cpu = processCpuMicros(phase.pid);
        const calls = phase.samples.latencies.length - before.n;
        if (before.cpu !== undefined && cpu !== undefined) {
          phase.cpu += cpu - before.cpu;
          perCall.push((cpu - before.cpu) / calls);
        }
        process.stdout.write(` ${phase.name} ${(calls / (phase.samples.seconds - before.s)).toFixed(0)}/s ${perCall.at(-1)?.toFixed(0) ?? '?'} µs`);
      }
      if (perCall.length === 2) ratios.push(perCall[0]! / perCall[1]!);
      process.stdout.write('\n');
    }
    await Promise.all(clients.map((client) => client.pool.close()));
    const [on, off] = phases.map((phase) => phase.cpu / phase.samples.latencies.length);
    return { on: on!, off: off!, ratio: median(ratios) };
  } finally {
    await Promise.all(servers.map(({ child }) => stopBenchServer(child)));
    await Promise.all(databases.map((database) => database.close()));
  }
}

const ingest = process.env['BENCH_ONLY'] === 'overhead' ? { ingest: Number.NaN, copy: Number.NaN } : await ingestPart();
console.log(`audit ingest ${ingest.ingest.toFixed(0)} records/s, raw COPY ${ingest.copy.toFixed(0)} records/s: ratio ${(ingest.ingest / ingest.copy).toFixed(3)} (targets ≥ 100000/s and ≥ 0.50)`);
console.log('');
console.log(`server CPU per API call, GET balances, ${CONCURRENCY} in flight, ${ROUNDS} rounds of ${SECONDS} s:`);
const overhead = await overheadPart();
const added = overhead.ratio - 1;
console.log(`observed ${overhead.on.toFixed(0)} µs, unobserved ${overhead.off.toFixed(0)} µs over all rounds; median of the rounds' ratios: ${(added * 100).toFixed(1)}% added by audit + KPIs + rate limits (target ≤ 15%)`);
console.log(
  JSON.stringify({
    bench: 'audit',
    ingestPerSecond: Math.round(ingest.ingest),
    copyPerSecond: Math.round(ingest.copy),
    ingestToCopy: Number((ingest.ingest / ingest.copy).toFixed(3)),
    serverCpuMicrosObserved: Math.round(overhead.on),
    serverCpuMicrosUnobserved: Math.round(overhead.off),
    addedCpu: Number(added.toFixed(3)),
  }),
);
process.exit(0);
