/**
 * bench:ledger — transfers per second on the built-in ledger over PostgreSQL with 2 concurrent
 * writers, against the same run's raw single-row INSERT rate (2 writers, autocommit) as baseline.
 * BENCH_SECONDS sets the length of each phase (default 10).
 */
import { sql } from 'kysely';
import { LedgerCoreBanking } from '../src/core/adapters/ledger/index.ts';
import { openBenchDatabase, measureRate, BENCH_DATABASE_URL } from './bench-database.ts';
import { fund, openAccount, statement } from '../test/support/ledger-fixtures.ts';

const WRITERS = 2;
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const ACCOUNTS = 50;

const database = await openBenchDatabase(WRITERS);
try {
  const { db } = database;
  const host = new URL(BENCH_DATABASE_URL).host;
  console.log(`bench:ledger on PostgreSQL ${host}, ${WRITERS} concurrent writers, ${SECONDS}s per phase`);

  await sql`CREATE TABLE bench_raw (id bigserial PRIMARY KEY, writer int NOT NULL, n int NOT NULL, amount_minor bigint NOT NULL)`.execute(db);
  const clearing = await openAccount(db, { internal: true });
  const accounts: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const id = await openAccount(db);
    await fund(db, clearing, id, 1_000_000_000n);
    accounts.push(id);
  }
  const core = new LedgerCoreBanking(db);

  // Warm-up: connections, plans and caches, so neither phase pays them.
  for (let i = 0; i < 50; i++) {
    await sql`INSERT INTO bench_raw (writer, n, amount_minor) VALUES (${-1}, ${i}, ${1n})`.execute(db);
    await core.transfer({ debtorAccountId: accounts[0]!, creditorAccountId: accounts[1]!, amount: { amountMinor: 1n, currency: 'GBP' }, debtorStatement: statement('warm-up'), creditorStatement: statement('warm-up') });
  }

  process.stdout.write('baseline: raw single-row INSERT … ');
  const baseline = await measureRate(WRITERS, SECONDS, async (writer, i) => {
    await sql`INSERT INTO bench_raw (writer, n, amount_minor) VALUES (${writer}, ${i}, ${BigInt(i)})`.execute(db);
  });
  console.log(`${baseline.perSecond.toFixed(0)}/s`);

  process.stdout.write('ledger: balanced transfer (lock, check, 2 postings, 2 balance updates, 2 statement lines, outbox event) … ');
  let seed = 1;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
  const ledger = await measureRate(WRITERS, SECONDS, async () => {
    const from = Math.floor(random() * ACCOUNTS);
    let to = Math.floor(random() * ACCOUNTS);
    if (to === from) to = (to + 1) % ACCOUNTS;
    await core.transfer({
      debtorAccountId: accounts[from]!,
      creditorAccountId: accounts[to]!,
      amount: { amountMinor: BigInt(1 + Math.floor(random() * 10_000)), currency: 'GBP' },
      debtorStatement: statement('bench transfer'),
      creditorStatement: statement('bench transfer'),
    });
  });
  console.log(`${ledger.perSecond.toFixed(0)}/s`);

  const ratio = ledger.perSecond / baseline.perSecond;
  console.log('');
  console.log('| measure                          | operations | seconds | per second |');
  console.log('|----------------------------------|-----------:|--------:|-----------:|');
  console.log(`| raw single-row INSERT (baseline) | ${String(baseline.operations).padStart(10)} | ${baseline.seconds.toFixed(1).padStart(7)} | ${baseline.perSecond.toFixed(0).padStart(10)} |`);
  console.log(`| ledger transfer                  | ${String(ledger.operations).padStart(10)} | ${ledger.seconds.toFixed(1).padStart(7)} | ${ledger.perSecond.toFixed(0).padStart(10)} |`);
  console.log('');
  console.log(`ratio ledger/baseline: ${ratio.toFixed(3)} (a transfer costs ${(1 / ratio).toFixed(1)} raw inserts)`);
  console.log(JSON.stringify({ bench: 'ledger', writers: WRITERS, baselineInsertsPerSecond: Math.round(baseline.perSecond), transfersPerSecond: Math.round(ledger.perSecond), ratio: Number(ratio.toFixed(3)) }));
} finally {
  await database.close();
}
