/**
 * bench:payments — OB v4.0 domestic payments end to end, against the ledger's raw transfer rate.
 * The platform runs in a child process (bench/bench-payments-server.ts) in sandbox mode on
 * PostgreSQL (a throw-away database on DATABASE_URL) and Redis (REDIS_URL); this process is the
 * TPP, onboarded by the sandbox and registered by OB DCR, with an undici pool of keep-alive mTLS
 * connections carrying its transport certificate. Set-up, not measured: BENCH_PAYMENTS consents
 * (default 3000) are staged over the OB API and authorised in bulk (one PSU token each).
 * Measured:
 *   - throughput: POST /domestic-payments in a closed loop (BENCH_CONCURRENCY in flight, default
 *     16), each a new signed (x-jws-signature, PS256) request with its own idempotency key under
 *     its own consent, paid between the sandbox customers' GBP accounts in turn (up to 50, as the
 *     baseline transfers between random pairs of 50 accounts): mTLS → directory → bound token → consent authorised → JWS verified →
 *     idempotency → Initiation/Risk equal the consent's → consent consumed → payment stored and
 *     its execution job scheduled → executed on the ledger. The rate counts a payment once it has
 *     reached its final status (read in the database), so execution is inside the measure;
 *   - latency: an open loop at BENCH_RATE submissions per second (default 50) for
 *     BENCH_RATE_SECONDS (default 30: 1,500 payments, so that the p99 is the 15th slowest rather
 *     than the 3rd of 250, which a single stall decided), started once the closed loop's events
 *     are all published and a second has passed (steady state, not the tail of the burst); its
 *     latency runs from the scheduled send of the submission
 *     to the first look that finds it AcceptedCreditSettlementCompleted (or, were it paid out of
 *     the bank, AcceptedSettlementCompleted: ACSP is still in flight). The bench looks in the
 *     database, on its own connection, every BENCH_POLL_MS (default 5) for all outstanding
 *     payments in one query, as the throughput measure does, rather than polling
 *     GET /domestic-payments/{id} per payment: those GETs grew with the latency (one per
 *     outstanding payment every 5 ms) until the server spent its time answering them, and the
 *     bench measured its own queue. Once every payment has settled, one GET per payment checks
 *     that the wire shows the settled status (not timed). Also shown: the submission's own share
 *     (scheduled send to its 201) and the bench's own CPU meanwhile, which the server's cores pay;
 *   - hot account: BENCH_HOT_PAYMENTS (default 500) more in a closed loop, all from one account to
 *     one other, so that each booking waits for the previous one's row locks; reported, not part
 *     of the ratio;
 *   - BENCH_ROLES: `all` (default), one ROLE=all process; `split`, the shape a deployment runs
 *     (docs/deployment.md): a ROLE=api process and a ROLE=worker process (execution, relay,
 *     consumers) on NATS JetStream (NATS_URL), the sandbox bank seeded beforehand as ROLE=migrate
 *     does; CPU and statements are then the two processes' together;
 *   - BENCH_PROFILE, a file name: the server's CPU profile over the throughput's closed loop, written
 *     there (open it in Chrome's DevTools);
 *   - baseline: the ledger's balanced transfer rate as bench:ledger measures it (2 writers, on a
 *     throw-away database of its own, BENCH_LEDGER_SECONDS, default 5), just before and just after
 *     the throughput's closed loop; the ratio is to the mean of the two.
 * Every submission's x-jws-signature is made before the timed part (the signature covers the body
 * and a fresh `iat`, not the moment of sending), so the bench's PS256 signing does not compete
 * with the server for the cores while it is measured.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { decodeJwt, FlattenedSign, importPKCS8 } from 'jose';
import { sql } from 'kysely';
import { Pool } from 'undici';
import { LedgerCoreBanking } from '../src/core/adapters/ledger/index.ts';
import { unpublishedBacklog } from '../src/platform/outbox/index.ts';
import { createDatabase } from '../src/platform/db/index.ts';
import { createSandboxModule, DEFAULT_SANDBOX_SEED } from '../src/modules/sandbox/index.ts';
import { fund, openAccount, statement } from '../test/support/ledger-fixtures.ts';
import { httpsRequest } from '../test/support/https-client.ts';
import { TppClient } from '../test/support/tpp-client.ts';
import type { TestPortico } from '../test/support/start-test-portico.ts';
import { BENCH_DATABASE_URL, measureRate, openBenchDatabase } from './bench-database.ts';
import { deleteBenchStreams } from './bench-nats.ts';
import { newSamples, percentile, processCpuMicros, sharedDeploymentEnv, startBenchServer, stopBenchServer, summarise, tableRow, TABLE_HEADER, type BenchResponse } from './bench-harness.ts';
import type { AuthoriseRequest, BenchPaymentsServerReady, ProfileRequest, StatementsRequest } from './bench-payments-server.ts';

const PAYMENTS = Number(process.env['BENCH_PAYMENTS'] ?? 3000);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
const RATE = Number(process.env['BENCH_RATE'] ?? 50);
const RATE_SECONDS = Number(process.env['BENCH_RATE_SECONDS'] ?? 30);
const POLL_MS = Number(process.env['BENCH_POLL_MS'] ?? 5);
const LEDGER_SECONDS = Number(process.env['BENCH_LEDGER_SECONDS'] ?? 5);
const HOT_PAYMENTS = Number(process.env['BENCH_HOT_PAYMENTS'] ?? 500);
const PROFILE = process.env['BENCH_PROFILE'];
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const ROLES = process.env['BENCH_ROLES'] ?? 'all';
if (ROLES !== 'split' && ROLES !== 'all') throw new Error(`BENCH_ROLES is split or all, not ${ROLES}`);
const PISP = '/open-banking/v4.0/pisp';
const SETTLED = new Set(['ACCC', 'ACSC']);
const IAT = 'http://openbanking.org.uk/iat';
const ISS = 'http://openbanking.org.uk/iss';
const TAN = 'http://openbanking.org.uk/tan';

/**
 * The platform as a deployment runs it (BENCH_ROLES=split; docs/deployment.md): a
 * ROLE=api process that serves the OB API and runs no jobs, and a ROLE=worker process that runs
 * the payments' execution, the outbox relay and the event consumers, on one database, Redis and
 * NATS JetStream (a namespace of this run's), the sandbox bank seeded beforehand as ROLE=migrate
 * does. BENCH_ROLES=all: one ROLE=all process doing everything on one event loop.
 */
async function startServers(): Promise<{ api: BenchServer; worker: BenchServer | undefined; close(): Promise<void> }> {
  if (ROLES === 'all') {
    const api = await startBenchServer<BenchPaymentsServerReady>('bench-payments-server.ts', { DATABASE_URL: database.url, REDIS_URL, LOG_LEVEL: 'warn' });
    return { api, worker: undefined, close: () => stopBenchServer(api.child) };
  }
  await createSandboxModule({ db: database.db }).seed({ ...DEFAULT_SANDBOX_SEED, customers: 40, months: 1, asOf: new Date() });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-bench-payments-'));
  const deployment = await sharedDeploymentEnv(dir);
  const namespace = `bench-payments-${randomUUID().slice(0, 8)}`;
  const shared = { ...deployment.env, DATABASE_URL: database.url, NATS_NAMESPACE: namespace };
  const [api, worker] = await Promise.all([
    startBenchServer<BenchPaymentsServerReady>('bench-payments-server.ts', { ...shared, ROLE: 'api' }),
    startBenchServer<BenchPaymentsServerReady>('bench-payments-server.ts', { ...shared, ROLE: 'worker' }),
  ]);
  // The servers' certificate is the deployment's, from the CA made above.
  return {
    api: { ...api, ready: { ...api.ready, caPem: deployment.caPem } },
    worker,
    async close() {
      await Promise.all([stopBenchServer(api.child), stopBenchServer(worker.child)]);
      await deleteBenchStreams(NATS_URL, [namespace]);
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
type BenchServer = Awaited<ReturnType<typeof startBenchServer<BenchPaymentsServerReady>>>;

const database = await openBenchDatabase(1);
const servers = await startServers().catch(async (error: unknown) => {
  await database.close();
  throw error;
});
const { child, ready } = servers.api;
const ledgerDatabase = await openBenchDatabase(2);
const observer = await createDatabase({ url: ready.databaseUrl, poolSize: 1 });
try {
  // The TPP as a standard OB client sees the platform: onboarded by the sandbox, registered by DCR.
  const base = `https://localhost:${ready.port}`;
  const app = {
    base,
    request: (pathname: string, options = {}) => httpsRequest(`${base}${pathname}`, { ...options, ca: ready.caPem }),
    portico: { config: { http: { publicUrl: ready.publicUrl } } },
  } as unknown as TestPortico;
  const tpp = await TppClient.onboard(app, 'Bench Payments Ltd');
  await tpp.register();

  const pool = new Pool(base, {
    connections: Math.max(CONCURRENCY, 64),
    pipelining: 1,
    connect: { ca: ready.caPem, cert: tpp.tpp.transport.certificatePem, key: tpp.tpp.transport.privateKeyPem, servername: 'localhost', host: '127.0.0.1' },
  });
  const ssa = decodeJwt(tpp.tpp.softwareStatement);
  const signingKey = await importPKCS8(tpp.tpp.signing.privateKeyPem, 'PS256');
  const jwsHeader = () => ({
    alg: 'PS256',
    kid: tpp.tpp.signing.kid,
    typ: 'JOSE',
    cty: 'application/json',
    [IAT]: Math.floor(Date.now() / 1000),
    [ISS]: `${String(ssa['org_id'])}/${String(ssa['software_id'])}`,
    [TAN]: new URL(String(ssa['software_jwks_endpoint'])).host,
    crit: [IAT, ISS, TAN],
  });
  /** A detached PS256 JWS of the exact body, as an OB TPP signs every payment request. */
  const sign = async (body: string) => {
    const jws = await new FlattenedSign(Buffer.from(body)).setProtectedHeader(jwsHeader() as never).sign(signingKey, { crit: { [IAT]: true, [ISS]: true, [TAN]: true } });
    return `${jws.protected}..${jws.signature}`;
  };
  const post = async (path: string, token: string, body: string, signature?: string): Promise<BenchResponse> => {
    const response = await pool.request({
      method: 'POST',
      path,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-fapi-interaction-id': randomUUID(),
        'x-idempotency-key': randomUUID(),
        'x-jws-signature': signature ?? (await sign(body)),
      },
      body,
    });
    return { status: response.statusCode, body: await response.body.text() };
  };
  const get = async (path: string, token: string): Promise<BenchResponse> => {
    const response = await pool.request({ method: 'GET', path, headers: { authorization: `Bearer ${token}`, 'x-fapi-interaction-id': randomUUID() } });
    return { status: response.statusCode, body: await response.body.text() };
  };

  // Set-up (not measured): stage the consents over the API, have the PSU's approvals recorded in bulk.
  // Payment n is paid from accounts[n mod k] to another of the k accounts, each pair in turn (as the
  // baseline transfers between random pairs of its 50 accounts); the hot-account measure pays every
  // one of its payments from accounts[0] to accounts[1].
  const { accounts } = ready;
  if (accounts.length < 2) throw new Error('the sandbox bank has fewer than two GBP accounts to pay between');
  const latencyPayments = Math.round(RATE * RATE_SECONDS);
  const spread = PAYMENTS + latencyPayments + 50;
  const pairOf = (n: number) => {
    const payer = n % accounts.length;
    return { payer, payee: (payer + 1 + (Math.floor(n / accounts.length) % (accounts.length - 1))) % accounts.length };
  };
  const pairs = [...Array.from({ length: spread }, (_, n) => pairOf(n)), ...Array.from({ length: HOT_PAYMENTS }, () => ({ payer: 0, payee: 1 }))];
  for (const [index, account] of accounts.entries()) {
    const paying = pairs.filter((pair) => pair.payer === index).length;
    if (BigInt(account.balanceMinor) < BigInt(paying)) throw new Error(`${account.username}'s balance ${account.balanceMinor} does not cover ${paying} payments of 0.01`);
  }
  const ccToken = await tpp.clientCredentialsToken('payments');
  interface Prepared {
    readonly body: string;
    readonly consentId: string;
    readonly payer: number;
    token: string;
    signature?: string;
  }
  const staged: Prepared[] = new Array(pairs.length);
  process.stdout.write(`set-up: staging ${pairs.length} consents from ${accounts.length} accounts … `);
  let staging = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (staging < pairs.length) {
        const n = staging++;
        const { payer, payee } = pairs[n]!;
        const Initiation = {
          InstructionIdentification: `BENCH-${n}`,
          EndToEndIdentification: `BENCH-E2E-${n}`,
          LocalInstrument: 'UK.OBIE.FPS',
          InstructedAmount: { Amount: '0.01', Currency: 'GBP' },
          CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: accounts[payee]!.identification, Name: 'Bench Payee' },
          RemittanceInformation: { Structured: [{ CreditorReferenceInformation: { Reference: `BENCH-${n}` } }] },
        };
        const Risk = { PaymentContextCode: 'TransferToThirdParty' };
        const response = await post(`${PISP}/domestic-payment-consents`, ccToken, JSON.stringify({ Data: { Initiation }, Risk }));
        if (response.status !== 201) throw new Error(`consent staging failed: ${response.status} ${response.body}`);
        const consentId = (JSON.parse(response.body) as { Data: { ConsentId: string } }).Data.ConsentId;
        staged[n] = { body: JSON.stringify({ Data: { ConsentId: consentId, Initiation }, Risk }), consentId, payer, token: '' };
      }
    }),
  );
  process.stdout.write('authorising in bulk … ');
  const tokens = await new Promise<string[]>((resolve, reject) => {
    child.once('message', (message) => {
      const answer = message as { tokens?: string[]; error?: string };
      if (answer.tokens) resolve(answer.tokens);
      else reject(new Error(answer.error));
    });
    const request: AuthoriseRequest = {
      type: 'authorise',
      clientId: tpp.clientId,
      transportCertificatePem: tpp.tpp.transport.certificatePem,
      consents: staged.map((p) => ({ consentId: p.consentId, payer: p.payer })),
    };
    child.send(request);
  });
  staged.forEach((p, i) => (p.token = tokens[i]!));
  const prepared = staged.slice(0, spread);
  const hotBatch = staged.slice(spread);
  console.log('done');

  const submit = (p: Prepared) => post(`${PISP}/domestic-payments`, p.token, p.body, p.signature);
  /** Signs a batch's submissions ahead of its timed part. */
  const presign = async (batch: Prepared[]) => {
    for (const p of batch) p.signature = await sign(p.body);
  };
  const paymentIdOf = (response: BenchResponse) => (JSON.parse(response.body) as { Data: { DomesticPaymentId: string } }).Data.DomesticPaymentId;
  const unsettled = async () =>
    Number(
      (
        await observer.db
          .selectFrom('payments')
          .select(sql<string>`count(*)`.as('n'))
          .where('client_id', '=', tpp.clientId)
          // Not final yet: awaiting execution, or sent to the scheme and awaiting its settlement.
          .where('status', 'in', ['pending', 'booked'])
          .executeTakeFirstOrThrow()
      ).n,
    );

  // Warm-up: connections, JIT, plans, caches.
  for (const p of prepared.splice(0, 50)) {
    const response = await submit(p);
    if (response.status !== 201) throw new Error(`warm-up submission: ${response.status} ${response.body}`);
  }
  while ((await unsettled()) > 0) await new Promise((resolve) => setTimeout(resolve, 20));

  console.log(
    `bench:payments on PostgreSQL ${new URL(BENCH_DATABASE_URL).host} + Redis ${new URL(REDIS_URL).host}, ${servers.worker ? 'servers in child processes, ROLE=api and ROLE=worker with NATS JetStream' : 'server in a child process, ROLE=all'} (sandbox mode: directory checks on), undici keep-alive mTLS pool`,
  );

  /** The server's execution groups so far (`portico_payment_execution_group_size`): payments executed, groups. */
  const executionGroups = async () => {
    // Counted where payments execute: the worker, else the one process.
    const text = servers.worker
      ? (await httpsRequest(`https://localhost:${servers.worker.ready.port}/metrics`, { ca: ready.caPem })).text
      : await (await pool.request({ method: 'GET', path: '/metrics' })).body.text();
    const figure = (name: string) => Number(text.split('\n').find((line) => line.startsWith(`${name} `))?.split(' ')[1] ?? Number.NaN);
    return { payments: figure('portico_payment_execution_group_size_sum'), groups: figure('portico_payment_execution_group_size_count') };
  };

  /** The platform's processes: the api process, and the worker where there is one. */
  const processes = [servers.api, ...(servers.worker ? [servers.worker] : [])];

  /** The SQL statements the servers have sent so far. */
  const statementsSent = async () =>
    (
      await Promise.all(
        processes.map(
          (server) =>
            new Promise<number>((resolve) => {
              server.child.once('message', (message) => resolve((message as { statements: number }).statements));
              server.child.send({ type: 'statements' } satisfies StatementsRequest);
            }),
        ),
      )
    ).reduce((sum, n) => sum + n, 0);

  /** Starts the servers' CPU profiles, or (with a file) stops them and writes them there (the worker's with `-worker` before the extension). */
  const profileServer = (file?: string) =>
    Promise.all(
      processes.map(
        (server, i) =>
          new Promise<void>((resolve, reject) => {
            server.child.once('message', (message) => ((message as { error?: string }).error ? reject(new Error((message as { error: string }).error)) : resolve()));
            const to = file && i > 0 ? file.replace(/(\.cpuprofile)?$/, '-worker$1') : file;
            server.child.send({ type: 'profile', ...(to ? { file: to } : {}) } satisfies ProfileRequest);
          }),
      ),
    );

  /**
   * CPU time so far (µs, Linux) of the server process and of each PostgreSQL backend serving the
   * bench database (the observer's own left out): per payment, the figures a busy machine disturbs
   * least, where the rate moves with whatever else the machine runs.
   */
  const cpuSoFar = async () => {
    const { rows } = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`.execute(observer.db);
    const server = processes.reduce((sum, { child: process }) => sum + (processCpuMicros(process.pid) ?? Number.NaN), 0);
    return { server, backends: new Map(rows.map((row) => [row.pid, processCpuMicros(row.pid) ?? 0])) };
  };
  /** CPU used since `before`: the server's, and the backends' (one started since counts from zero). */
  const cpuSince = async (before: Awaited<ReturnType<typeof cpuSoFar>>) => {
    const now = await cpuSoFar();
    let database = 0;
    for (const [pid, micros] of now.backends) database += micros - (before.backends.get(pid) ?? 0);
    return { server: now.server - before.server, database };
  };

  /** A closed loop of submissions; its clock stops when the last payment has settled. */
  const closedLoop = async (batch: Prepared[], profileTo?: string) => {
    await presign(batch);
    if (profileTo) await profileServer();
    const groupsBefore = await executionGroups();
    const statementsBefore = await statementsSent();
    const cpuBefore = await cpuSoFar();
    const samples = newSamples();
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < batch.length) {
          const p = batch[next++]!;
          const t0 = process.hrtime.bigint();
          const response = await submit(p);
          samples.latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          if (response.status !== 201) throw new Error(`expected 201, got ${response.status}: ${response.body}`);
        }
      }),
    );
    samples.seconds = Number(process.hrtime.bigint() - started) / 1e9;
    while ((await unsettled()) > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const settledSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = await cpuSince(cpuBefore);
    if (profileTo) await profileServer(profileTo);
    const notSettled = Number(
      (
        await observer.db
          .selectFrom('payments')
          .select(sql<string>`count(*)`.as('n'))
          .where('client_id', '=', tpp.clientId)
          .where('status', '!=', 'settled')
          .executeTakeFirstOrThrow()
      ).n,
    );
    if (notSettled > 0) throw new Error(`${notSettled} payments did not settle`);
    // Let the consumers catch up with the last payments' events before counting.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const statementsPerPayment = ((await statementsSent()) - statementsBefore) / batch.length;
    const groupsAfter = await executionGroups();
    const paymentsPerGroup = (groupsAfter.payments - groupsBefore.payments) / (groupsAfter.groups - groupsBefore.groups);
    const cpuPerPayment = { server: cpu.server / batch.length, database: cpu.database / batch.length };
    return { submitted: summarise(samples), settledSeconds, settledPerSecond: batch.length / settledSeconds, paymentsPerGroup, statementsPerPayment, cpuPerPayment };
  };

  // Baseline: the ledger's own balanced transfer, as bench:ledger measures it (2 writers), just
  // before and just after the throughput's closed loop: the machine's load, which moves both rates,
  // is then about the same for the two sides of the ratio.
  const ledgerDb = ledgerDatabase.db;
  const clearing = await openAccount(ledgerDb, { internal: true });
  const ledgerAccounts: string[] = [];
  for (let i = 0; i < 50; i++) {
    const id = await openAccount(ledgerDb);
    await fund(ledgerDb, clearing, id, 1_000_000_000n);
    ledgerAccounts.push(id);
  }
  const core = new LedgerCoreBanking(ledgerDb);
  const transfer = (from: number, to: number, amountMinor: bigint) =>
    core.transfer({ debtorAccountId: ledgerAccounts[from]!, creditorAccountId: ledgerAccounts[to]!, amount: { amountMinor, currency: 'GBP' }, debtorStatement: statement('bench transfer'), creditorStatement: statement('bench transfer') });
  for (let i = 0; i < 50; i++) await transfer(0, 1, 1n);
  let seed = 1;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
  /** The ledger's transfer rate now (the platform's server idle meanwhile). */
  const measureLedger = async () =>
    (
      await measureRate(2, LEDGER_SECONDS, async () => {
        const from = Math.floor(random() * ledgerAccounts.length);
        let to = Math.floor(random() * ledgerAccounts.length);
        if (to === from) to = (to + 1) % ledgerAccounts.length;
        await transfer(from, to, BigInt(1 + Math.floor(random() * 10_000)));
      })
    ).perSecond;

  // Throughput: between the accounts in turn.
  const ledgerBefore = await measureLedger();
  const throughput = await closedLoop(prepared.splice(0, PAYMENTS), PROFILE);
  const ledgerAfter = await measureLedger();
  const ledger = { perSecond: (ledgerBefore + ledgerAfter) / 2 };
  const paymentsPerSecond = throughput.settledPerSecond;

  // Latency: open loop, from a steady start: the closed loop's events all published (its consumers
  // then catch up within the second after), so that the open loop measures 50/s and not the tail of
  // the burst before it. The outstanding payments are looked up together until each has settled.
  const unpublished = async () =>
    (await unpublishedBacklog(observer.db)).waiting;
  while ((await unpublished()) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const toSettle = newSamples();
  // The submission's own share of the latency: from the scheduled send to its 201.
  const toAnswer = newSamples();
  const latencyBatch = prepared.splice(0, latencyPayments);
  await presign(latencyBatch);
  const outstanding = new Map<string, bigint>();
  const settledIds: string[] = [];
  let failure: Error | undefined;
  let observing = true;
  const observe = (async () => {
    while (observing || outstanding.size > 0) {
      if (outstanding.size > 0) {
        const rows = await observer.db.selectFrom('payments').select(['id', 'status']).where('id', 'in', [...outstanding.keys()]).execute();
        const seenAt = process.hrtime.bigint();
        for (const row of rows) {
          if (row.status === 'pending' || row.status === 'booked') continue;
          if (row.status !== 'settled') failure ??= new Error(`payment ${row.id} ended ${row.status}`);
          toSettle.latencies.push(Number(seenAt - outstanding.get(row.id)!) / 1e6);
          outstanding.delete(row.id);
          settledIds.push(row.id);
        }
      }
      if (failure) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  const clientCpuBefore = process.cpuUsage();
  const loopStart = process.hrtime.bigint();
  const pending: Array<Promise<void>> = [];
  let sent = 0;
  while (sent < latencyBatch.length && !failure) {
    const elapsedMs = Number(process.hrtime.bigint() - loopStart) / 1e6;
    const due = Math.min(latencyBatch.length, Math.floor((elapsedMs / 1000) * RATE) + 1);
    for (; sent < due; sent++) {
      const scheduled = loopStart + BigInt(Math.round((sent / RATE) * 1e9));
      const p = latencyBatch[sent]!;
      pending.push(
        (async () => {
          const response = await submit(p);
          if (response.status !== 201) throw new Error(`expected 201, got ${response.status}: ${response.body}`);
          toAnswer.latencies.push(Number(process.hrtime.bigint() - scheduled) / 1e6);
          outstanding.set(paymentIdOf(response), scheduled);
        })().catch((error: unknown) => {
          failure ??= error as Error;
        }),
      );
    }
    // Until the next submission is due (a timer every millisecond would cost the bench, on the
    // server's cores, more CPU than the sends it times).
    const nextMs = (sent / RATE) * 1000 - Number(process.hrtime.bigint() - loopStart) / 1e6;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.floor(nextMs))));
  }
  await Promise.all(pending);
  observing = false;
  await observe;
  toSettle.seconds = Number(process.hrtime.bigint() - loopStart) / 1e9;
  toAnswer.seconds = toSettle.seconds;
  // The bench's own CPU (sends, answers, looks in the database) while it timed: taken from the server's cores.
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const clientCpuShare = (clientCpu.user + clientCpu.system) / 1e6 / toSettle.seconds;
  if (failure) throw failure;
  // Not timed: the wire shows each of them settled.
  const readToken = await tpp.clientCredentialsToken('payments');
  for (const id of settledIds) {
    const read = await get(`${PISP}/domestic-payments/${id}`, readToken);
    const status = read.status === 200 ? (JSON.parse(read.body) as { Data: { Status: string } }).Data.Status : undefined;
    if (!status || !SETTLED.has(status)) throw new Error(`GET payment ${id}: ${read.status} ${read.body}`);
  }

  // Hot account: every payment from one account to one other, so each booking waits for the
  // previous one's lock on both accounts' rows.
  const hot = hotBatch.length > 0 ? await closedLoop(hotBatch) : undefined;
  await pool.close();

  const { submitted, settledSeconds } = throughput;
  const settled = summarise(toSettle);
  const sortedSettle = [...toSettle.latencies].sort((a, b) => a - b);
  const ratio = paymentsPerSecond / ledger.perSecond;
  console.log('');
  console.log(`closed loop, ${CONCURRENCY} in flight, ${PAYMENTS} payments between ${accounts.length} accounts in turn (latency: submission round trip):`);
  for (const line of TABLE_HEADER) console.log(line);
  console.log(tableRow('POST /domestic-payments (answered 201)', submitted));
  console.log(tableRow('… and settled on the ledger', { ...submitted, seconds: settledSeconds, perSecond: paymentsPerSecond }));
  console.log(`payments executed together per saga (decision 0009e): ${throughput.paymentsPerGroup.toFixed(1)} on average`);
  console.log(`SQL statements the server sent per payment (submission, execution, relay, consumers): ${throughput.statementsPerPayment.toFixed(1)}`);
  console.log(`CPU per payment: ${servers.worker ? "api and worker processes" : "server"} ${throughput.cpuPerPayment.server.toFixed(0)} µs, PostgreSQL backends ${throughput.cpuPerPayment.database.toFixed(0)} µs`);
  console.log('');
  console.log(`open loop at ${RATE} submissions/s for ${RATE_SECONDS} s (latency from the scheduled send to the first look, every ${POLL_MS} ms in the database, that finds it settled):`);
  for (const line of TABLE_HEADER) console.log(line);
  console.log(tableRow('submission → 201 answered', summarise(toAnswer)));
  console.log(tableRow('submission → AcceptedCreditSettlementCompleted', settled));
  console.log(`the bench's own CPU meanwhile: ${(clientCpuShare * 100).toFixed(0)}% of a core`);
  console.log('');
  if (hot) {
    console.log(`closed loop, ${CONCURRENCY} in flight, ${HOT_PAYMENTS} payments all from one account to one other (hot account; not part of the ratio):`);
    for (const line of TABLE_HEADER) console.log(line);
    console.log(tableRow('POST /domestic-payments (answered 201)', hot.submitted));
    console.log(tableRow('… and settled on the ledger', { ...hot.submitted, seconds: hot.settledSeconds, perSecond: hot.settledPerSecond }));
    console.log('');
  }
  console.log(`baseline: ledger transfer (2 writers, ${LEDGER_SECONDS} s, just before and just after the closed loop): ${ledgerBefore.toFixed(0)}/s and ${ledgerAfter.toFixed(0)}/s, mean ${ledger.perSecond.toFixed(0)}/s`);
  console.log(`payments settled ${paymentsPerSecond.toFixed(0)}/s; ratio payments/ledger transfers ${ratio.toFixed(3)}`);
  console.log(`submission → settled: p50 ${percentile(sortedSettle, 50).toFixed(2)} ms, p99 ${percentile(sortedSettle, 99).toFixed(2)} ms`);
  console.log(
    JSON.stringify({
      bench: 'payments',
      concurrency: CONCURRENCY,
      payments: PAYMENTS,
      submissionsPerSecond: Math.round(submitted.perSecond),
      settledPaymentsPerSecond: Math.round(paymentsPerSecond),
      ledgerTransfersPerSecond: Math.round(ledger.perSecond),
      ledgerTransfersPerSecondBeforeAndAfter: [Math.round(ledgerBefore), Math.round(ledgerAfter)],
      ratio: Number(ratio.toFixed(3)),
      rate: RATE,
      settleP50Ms: Number(settled.p50Ms.toFixed(2)),
      settleP99Ms: Number(settled.p99Ms.toFixed(2)),
      hotAccountSettledPerSecond: hot ? Math.round(hot.settledPerSecond) : null,
      paymentsPerExecutionGroup: Number(throughput.paymentsPerGroup.toFixed(1)),
      statementsPerPayment: Number(throughput.statementsPerPayment.toFixed(1)),
      serverCpuMicrosPerPayment: Math.round(throughput.cpuPerPayment.server),
      databaseCpuMicrosPerPayment: Math.round(throughput.cpuPerPayment.database),
    }),
  );
} finally {
  await observer.close();
  await servers.close();
  await ledgerDatabase.close();
  await database.close();
}
