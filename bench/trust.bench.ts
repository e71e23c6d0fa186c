/**
 * bench:trust — what the production trust checks cost, and how long their data takes to load.
 *
 * 1. Server CPU per request of an AIS read (GET /accounts/{AccountId}/balances) in production trust
 *    mode — the TPP's transport certificate checked against the client trust anchors, its
 *    revocation (OCSP, answers shared through Redis), its QCStatement, its organisation at a remote
 *    directory served here, and the EBA register of 100,000 entities — against
 *    the same read in sandbox mode, both servers running in this run, phases interleaved over
 *    BENCH_ROUNDS rounds (default 3) of BENCH_SECONDS (default 3), BENCH_CONCURRENCY in flight
 *    (default 16). Target: production ≤ 1.10 × sandbox.
 * 2. The time to import the EU LOTL and 30 national lists (BENCH_LIST_SERVICES CA services each,
 *    default 25) from files, each signature verified.
 * 3. The time to read and import an EBA register file of BENCH_REGISTER_ENTITIES entities (default
 *    100,000), to synchronise it again unchanged, and with 1% of them withdrawn.
 *
 * PostgreSQL (DATABASE_URL, throw-away databases) and Redis (REDIS_URL), as bench:ais.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRegistersModule, createTrustedListsModule, fileTrustedListSource, parseEbaRegister } from '../src/modules/directory/index.ts';
import { MemoryCache } from '../src/platform/cache/index.ts';
import { createTestCa } from '../test/support/test-pki.ts';
import { TestDirectory } from '../test/support/test-directory.ts';
import { createListSigner, listOfTrustedListsXml, nationalListXml, signList, type ServiceEntry } from '../test/support/trusted-lists.ts';
import { openBenchDatabase } from './bench-database.ts';
import { aisClient, closedLoop, newSamples, processCpuMicros, startBenchServer, stopBenchServer, summarise, tableRow, TABLE_HEADER, type Samples } from './bench-harness.ts';
import type { BenchAisServerReady } from './bench-ais-server.ts';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
const LIST_SERVICES = Number(process.env['BENCH_LIST_SERVICES'] ?? 25);
const REGISTER_ENTITIES = Number(process.env['BENCH_REGISTER_ENTITIES'] ?? 100_000);
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const TERRITORIES = ['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'EL', 'ES', 'FI', 'FR', 'HR', 'HU', 'IE', 'IS', 'IT', 'LI', 'LT', 'LU', 'LV', 'MT', 'NL', 'NO', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK'];
const DAY = 86_400_000;

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-bench-trust-'));
const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
};

// The trust data: a LOTL of 30 national lists, signed as the EU's are.
process.stdout.write(`preparing: 30 trusted lists of ${LIST_SERVICES} CA services, an EBA register of ${REGISTER_ENTITIES} entities… `);
const lotlSigner = await createListSigner('EU LOTL signer');
await fs.mkdir(path.join(dir, 'lists'));
const pointers = [];
for (const territory of TERRITORIES) {
  const signer = await createListSigner(`${territory} TL signer`);
  const services: ServiceEntry[] = [];
  for (let index = 0; index < LIST_SERVICES; index++) {
    const ca = await createTestCa(`${territory} CA ${index}`);
    services.push({ provider: `${territory} QTSP ${index % 5}`, name: `${territory} CA ${index}`, certificatePem: ca.certificate.toString('pem'), uses: ['QWAC', 'QSealC'], statuses: [{ status: 'granted', from: new Date(Date.now() - 400 * DAY) }] });
  }
  await fs.writeFile(path.join(dir, 'lists', `TL-${territory}.xml`), signList(nationalListXml(territory, services, 1), signer));
  pointers.push({ territory, location: `https://tl.example/TL-${territory}.xml`, signerPems: [signer.certificatePem] });
}
await fs.writeFile(path.join(dir, 'lists', 'eu-lotl.xml'), signList(listOfTrustedListsXml(pointers), lotlSigner));
await fs.writeFile(path.join(dir, 'lotl-signers.pem'), lotlSigner.certificatePem);
// The TPP of the production server: onboarded at the remote directory, its FRN in the register.
const directory = await TestDirectory.start();
const tpp = await directory.onboard('Bench Aggregator Ltd', ['AISP'], ['https://tpp.example/callback']);
await fs.writeFile(path.join(dir, 'transport.pem'), tpp.transport.certificatePem);
await fs.writeFile(path.join(dir, 'transport.key'), tpp.transport.privateKeyPem);
const tppFrn = directory.organisations.get(tpp.organisationId)!.organizationIdentifier.replace('PSDGB-FCA-', '');
const ebaEntity = (index: number, withdrawn = false) => {
  const country = index === 0 ? 'GB' : TERRITORIES[index % TERRITORIES.length]!;
  const [authority, reference] = index === 0 ? ['GB_FCA', tppFrn] : country === 'DE' ? ['DE_BAFIN', String(100_000 + index)] : [`${country}_NCA`, `R${index}`];
  return {
    CA_OwnerID: authority,
    EntityCode: `PSD_PI!${authority}!${reference}`,
    EntityType: index % 3 === 0 ? 'PSD_AISP' : 'PSD_PI',
    Properties: [{ ENT_NAT_REF_COD: reference }, { ENT_NAM: `Institution ${index}` }, { ENT_COU_RES: country }, { ENT_AUT: withdrawn ? ['2019-01-01', '2026-01-01'] : ['2019-01-01'] }],
    Services: [{ [country]: ['PS_070', 'PS_080'] }, { DE: 'PS_080' }],
  };
};
const registerFile = (withdrawnEvery: number) => JSON.stringify([[{ __EBA_FileVersion: 'bench' }], Array.from({ length: REGISTER_ENTITIES }, (_, index) => ebaEntity(index, withdrawnEvery > 0 && index > 0 && index % withdrawnEvery === 0))]);
await fs.writeFile(path.join(dir, 'register.json'), registerFile(0));
console.log('done');

// 2 and 3: the imports, on a database of their own.
const importDatabase = await openBenchDatabase(4);
const cache = new MemoryCache();
const trustedLists = createTrustedListsModule({ db: importDatabase.db, cache });
const [outcomes, listsMs] = await timed(() => trustedLists.importLists(fileTrustedListSource(path.join(dir, 'lists', 'eu-lotl.xml'), path.join(dir, 'lists')), [lotlSigner.certificatePem]));
if (outcomes.some((outcome) => outcome.outcome !== 'imported')) throw new Error(`trusted lists not imported: ${JSON.stringify(outcomes)}`);
const registers = createRegistersModule({ db: importDatabase.db, cache });
const [firstDiff, firstMs] = await timed(async () => registers.synchronise({ register: 'EBA', source: 'register.json', entities: parseEbaRegister(await fs.readFile(path.join(dir, 'register.json'), 'utf8')).entities }));
const [, unchangedMs] = await timed(async () => registers.synchronise({ register: 'EBA', source: 'register.json', entities: parseEbaRegister(await fs.readFile(path.join(dir, 'register.json'), 'utf8')).entities }));
const withdrawals = registerFile(100);
const [withdrawnDiff, withdrawnMs] = await timed(async () => registers.synchronise({ register: 'EBA', source: 'withdrawals', entities: parseEbaRegister(withdrawals).entities }));
await importDatabase.close();
console.log(`trusted lists: LOTL + ${outcomes.length} national lists (${outcomes.reduce((sum, outcome) => sum + (outcome.services ?? 0), 0)} services) imported from files in ${listsMs.toFixed(0)} ms`);
console.log(
  `EBA register of ${REGISTER_ENTITIES} entities: first import ${firstMs.toFixed(0)} ms (${firstDiff.counts.added} added), again unchanged ${unchangedMs.toFixed(0)} ms, with ${withdrawnDiff.counts.withdrawn} withdrawn ${withdrawnMs.toFixed(0)} ms`,
);

// 1: the AIS read under each trust mode.
const sandboxDatabase = await openBenchDatabase(1);
const trustDatabase = await openBenchDatabase(1);
const trustEnv = {
  ...directory.environment,
  DATABASE_URL: trustDatabase.url,
  REDIS_URL,
  LOG_LEVEL: 'warn',
  TRUST_BENCH_DIR: dir,
  REGISTERS: 'eba',
  ASPSP_COUNTRY: 'GB',
  REGISTER_SYNC_INTERVAL_HOURS: '0',
};
const servers = {
  sandbox: await startBenchServer<BenchAisServerReady>('bench-ais-server.ts', { DATABASE_URL: sandboxDatabase.url, REDIS_URL, LOG_LEVEL: 'warn' }),
  production: await startBenchServer<BenchAisServerReady>('bench-trust-server.ts', trustEnv),
};
try {
  const clients = { sandbox: await aisClient(servers.sandbox.ready, CONCURRENCY), production: await aisClient(servers.production.ready, CONCURRENCY) };
  const phases: Record<'sandbox' | 'production', { samples: Samples; cpu: number; path: string }> = {
    sandbox: { samples: newSamples(), cpu: 0, path: `/open-banking/v4.0/aisp/accounts/${clients.sandbox.accountId}/balances` },
    production: { samples: newSamples(), cpu: 0, path: `/open-banking/v4.0/aisp/accounts/${clients.production.accountId}/balances` },
  };
  for (const name of ['sandbox', 'production'] as const) {
    const first = await clients[name].get(phases[name].path);
    if (first.status !== 200) throw new Error(`${name} balances: ${first.status} ${first.body}`);
  }
  const options = { concurrency: CONCURRENCY, seconds: SECONDS, maxRequests: 30_000, expected: 200 };
  for (let i = 0; i < 300; i++) await Promise.all((['sandbox', 'production'] as const).map((name) => clients[name].get(phases[name].path)));
  for (let round = 1; round <= ROUNDS; round++) {
    process.stdout.write(`round ${round}/${ROUNDS}:`);
    for (const name of ['sandbox', 'production'] as const) {
      const phase = phases[name];
      const pid = servers[name].child.pid;
      const before = { n: phase.samples.latencies.length, s: phase.samples.seconds, cpu: processCpuMicros(pid) ?? 0 };
      await closedLoop(phase.samples, options, () => clients[name].get(phase.path));
      phase.cpu += (processCpuMicros(pid) ?? 0) - before.cpu;
      process.stdout.write(` ${name} ${((phase.samples.latencies.length - before.n) / (phase.samples.seconds - before.s)).toFixed(0)}/s`);
    }
    process.stdout.write('\n');
  }
  await Promise.all([clients.sandbox.pool.close(), clients.production.pool.close()]);
  const cpuPerRequest = (name: 'sandbox' | 'production') => phases[name].cpu / phases[name].samples.latencies.length;
  console.log('');
  for (const line of TABLE_HEADER) console.log(line);
  console.log(tableRow('GET balances, sandbox trust', summarise(phases.sandbox.samples)));
  console.log(tableRow('GET balances, directory + OCSP + register', summarise(phases.production.samples)));
  const ratio = cpuPerRequest('production') / cpuPerRequest('sandbox');
  console.log(`server CPU per request: sandbox ${cpuPerRequest('sandbox').toFixed(0)} µs, production trust ${cpuPerRequest('production').toFixed(0)} µs`);
  console.log(`ratio production / sandbox: ${ratio.toFixed(3)} (target ≤ 1.10)`);
  console.log(
    JSON.stringify({
      bench: 'trust',
      cpuMicrosPerRequest: { sandbox: Math.round(cpuPerRequest('sandbox')), production: Math.round(cpuPerRequest('production')) },
      cpuRatio: Number(ratio.toFixed(3)),
      trustedListsImportMs: Math.round(listsMs),
      registerEntities: REGISTER_ENTITIES,
      registerFirstImportMs: Math.round(firstMs),
      registerUnchangedMs: Math.round(unchangedMs),
      registerWithdrawalsMs: Math.round(withdrawnMs),
    }),
  );
} finally {
  await Promise.all([stopBenchServer(servers.sandbox.child), stopBenchServer(servers.production.child)]);
  await Promise.all([sandboxDatabase.close(), trustDatabase.close()]);
  await directory.close();
  console.log(`OCSP requests the QTSP answered: ${directory.revocationRequests.filter((request) => request === 'OCSP').length}`);
  await fs.rm(dir, { recursive: true, force: true });
}
