import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { createDatabase, type DatabaseHandle } from '../../../src/platform/db/index.ts';
import { TEST_DATABASE_URL } from '../../support/backends.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { TppClient } from '../../support/tpp-client.ts';
import { checkLedger } from '../../support/ledger-fixtures.ts';
import { waitFor } from '../../support/wait-for.ts';
import { sandboxPsu } from '../../support/ais-access.ts';
import { authorisePaymentConsent, pisGet, pisPost } from '../../support/pis-access.ts';

/**
 * Crash safety of domestic payments, on PostgreSQL: `portico start` runs in a child process on a
 * real database; the TPP submits a batch of authorised payments concurrently and the server is
 * killed with SIGKILL (no shutdown hooks) twice while submissions are in flight and executions
 * are running, and restarted on the same database and data dir each time. The TPP does what a
 * standard client does with a request that got no answer: it sends it again, same idempotency
 * key, same body. Afterwards the ledger must balance and every consent must have paid exactly once.
 */

const BIN = path.resolve(import.meta.dirname, '../../../bin/portico.mjs');
const PAYMENTS = 40;
const CONCURRENCY = 6;
/** 201s to wait for in a run before killing it: the batch is cut in the middle, twice. */
const KILL_AFTER = 10;
const FINAL = ['settled', 'rejected'];

interface Staged {
  readonly consentId: string;
  readonly token: string;
  readonly body: string;
  readonly idempotencyKey: string;
  readonly amountMinor: bigint;
  /** Every DomesticPaymentId the server answered 201 with for this consent. */
  readonly answered: Set<string>;
}

describe('domestic payments survive SIGKILL of the server (postgres)', () => {
  let app: TestPortico;
  let tpp: TppClient;
  let database: DatabaseHandle;
  let databaseName: string;
  let env: Record<string, string>;
  let aliceGbp: string;
  let server: ChildProcess | undefined;
  const deadWorkers: number[] = [];
  const staged: Staged[] = [];

  before(async () => {
    // Set-up in process: the sandbox bank, the TPP (onboarded, registered by DCR), and the batch of
    // consents staged through the API and authorised by the PSU. Then the in-process server stops
    // and the child takes over the same database, data dir (TLS, sandbox CA) and port.
    app = await startTestPortico('postgres', {}, { seedSandbox: true });
    tpp = await TppClient.onboard(app, 'Crash Test Payments Ltd');
    await tpp.register();
    const alice = await sandboxPsu(app, 0);
    const bob = await sandboxPsu(app, 1);
    const gbpOf = async (ids: readonly string[]) => {
      for (const id of ids) {
        const account = await app.portico.core.getAccount(id);
        if (account?.currency === 'GBP' && account.status === 'Enabled' && account.sortCode && account.accountNumber) return account;
      }
      throw new Error('no GBP account');
    };
    aliceGbp = (await gbpOf(alice.accountIds)).id;
    const bobAccount = await gbpOf(bob.accountIds);
    const ccToken = await tpp.clientCredentialsToken('payments');
    for (let i = 0; i < PAYMENTS; i++) {
      // Every third one leaves the bank through clearing; the rest are paid on us.
      const creditor =
        i % 3 === 2
          ? { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '99999912345678', Name: 'Outside Bank Payee Ltd' }
          : { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: `${bobAccount.sortCode}${bobAccount.accountNumber}`, Name: 'Bob' };
      const amountMinor = BigInt(100 + i);
      const consent = {
        Data: {
          Initiation: {
            InstructionIdentification: `CRASH-${i}-${randomUUID().slice(0, 8)}`,
            EndToEndIdentification: `E2E-${i}-${randomUUID().slice(0, 8)}`,
            LocalInstrument: 'UK.OBIE.FPS',
            InstructedAmount: { Amount: `${amountMinor / 100n}.${String(amountMinor % 100n).padStart(2, '0')}`, Currency: 'GBP' },
            CreditorAccount: creditor,
            RemittanceInformation: { Structured: [{ CreditorReferenceInformation: { Reference: `CRASH-${i}` } }] },
          },
        },
        Risk: { PaymentContextCode: 'TransferToThirdParty' },
      };
      const created = await pisPost(tpp, '/domestic-payment-consents', { token: ccToken, body: JSON.stringify(consent) });
      assert.equal(created.status, 201, created.text);
      const consentId = created.json<{ Data: { ConsentId: string } }>().Data.ConsentId;
      const token = await authorisePaymentConsent(app, tpp, alice, consentId, aliceGbp);
      const body = JSON.stringify({ Data: { ConsentId: consentId, Initiation: consent.Data.Initiation }, Risk: consent.Risk });
      staged.push({ consentId, token, body, idempotencyKey: randomUUID(), amountMinor, answered: new Set() });
    }
    const { config } = app.portico;
    const url = config.database.url!;
    databaseName = new URL(url).pathname.slice(1);
    env = { DATABASE_URL: url, DATA_DIR: config.dataDir, PORT: new URL(app.base).port, HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
    await app.portico.close();
    database = await createDatabase({ url, poolSize: 2 });
  });

  after(async () => {
    if (server?.pid && server.exitCode === null && server.signalCode === null) await kill(server);
    await database?.close();
    if (databaseName) {
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
      await admin.end();
    }
  });

  /** `portico start` in its own process group, as an operator runs it; resolves once it listens. */
  async function start(): Promise<ChildProcess> {
    const child = spawn(process.execPath, [BIN, 'start'], { env: { PATH: process.env['PATH'] ?? '', ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => output.includes('Portico is running') || child.exitCode !== null, 'portico start to listen', 120_000);
    assert.equal(child.exitCode, null, `portico start exited:\n${output}`);
    return child;
  }

  /** SIGKILL: no shutdown hook, no graceful stop of the scheduler, connections cut mid-transaction. */
  async function kill(child: ChildProcess): Promise<void> {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    deadWorkers.push(child.pid!);
  }

  /**
   * Submits every consent that has no answer yet, CONCURRENCY at a time, each with its own
   * idempotency key and body (a retry is the very same request). With `killAfter`, the server is
   * killed as soon as that many 201s came back while the other requests are still in flight.
   */
  async function submitUnanswered(child: ChildProcess, killAfter?: number): Promise<void> {
    const queue = staged.filter((s) => s.answered.size === 0);
    let created = 0;
    let killing: Promise<void> | undefined;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let next = queue.shift(); next && !killing; next = queue.shift()) {
          const response = await pisPost(tpp, '/domestic-payments', { token: next.token, body: next.body, idempotencyKey: next.idempotencyKey }).catch(() => undefined);
          if (!response) continue; // cut off by the kill: no answer, sent again after the restart
          assert.equal(response.status, 201, response.text);
          next.answered.add(response.json<{ Data: { DomesticPaymentId: string } }>().Data.DomesticPaymentId);
          created += 1;
          if (killAfter !== undefined && created >= killAfter) killing ??= kill(child);
        }
      }),
    );
    await killing;
  }

  /** What a kill left behind, for the report: unanswered submissions, payments not yet executed, claimed jobs. */
  async function afterKill(): Promise<string> {
    const pending = await database.db.selectFrom('payments').select('id').where('client_id', '=', tpp.clientId).where('status', '=', 'pending').execute();
    const running = await database.db.selectFrom('scheduled_jobs').select('id').where('status', '=', 'running').execute();
    return `unanswered ${staged.filter((s) => s.answered.size === 0).length}, payments pending ${pending.length}, jobs claimed by the dead ${running.length}`;
  }

  it('keeps the ledger balanced and pays every answered payment exactly once across two SIGKILLs', async (t) => {
    const balanceBefore = (await database.db.selectFrom('bank_accounts').select('balance_minor').where('id', '=', aliceGbp).executeTakeFirstOrThrow()).balance_minor;

    const first = await start();
    await submitUnanswered(first, KILL_AFTER);
    t.diagnostic(`after the first SIGKILL: ${await afterKill()}`);
    const second = await start();
    await submitUnanswered(second, KILL_AFTER);
    t.diagnostic(`after the second SIGKILL: ${await afterKill()}`);
    server = await start();
    // The last run answers everything still unanswered (the same requests again).
    for (let round = 0; round < 5 && staged.some((s) => s.answered.size === 0); round++) await submitUnanswered(server);
    assert.deepEqual(
      staged.filter((s) => s.answered.size === 0).map((s) => s.consentId),
      [],
      'every submission is answered once the server stays up',
    );

    // Jobs the dead processes had claimed keep their lease (30 s) before another worker may take
    // them over; the test lets that time pass for exactly those claims instead of waiting it out.
    const dead = await database.db.selectFrom('scheduled_jobs').select(['id', 'locked_by']).where('status', '=', 'running').execute();
    const ofDead = dead.filter((job) => deadWorkers.some((pid) => job.locked_by?.split('/')[1] === String(pid))).map((job) => job.id);
    if (ofDead.length > 0) await database.db.updateTable('scheduled_jobs').set({ locked_until: sql<Date>`now()` }).where('id', 'in', ofDead).execute();

    // Execution finishes, as the TPP sees it (GET), on the restarted server.
    const ccToken = await tpp.clientCredentialsToken('payments');
    const statusOf = async (paymentId: string) => {
      const response = await pisGet(tpp, `/domestic-payments/${paymentId}`, ccToken);
      assert.equal(response.status, 200, response.text);
      return response.json<{ Data: { Status: string; ConsentId: string } }>().Data;
    };
    for (const s of staged) {
      const [paymentId] = [...s.answered];
      // Final: executed (PDNG over) and, when it left the bank, settled by the scheme (ACSP over).
      await waitFor(async () => !['PDNG', 'ACSP'].includes((await statusOf(paymentId!)).Status), `payment ${paymentId} to be executed and settled`, 60_000);
    }

    const { db } = database;
    // The ledger: balanced overall per currency, every account equal to its postings, every entry balanced.
    const ledger = await checkLedger(db);
    assert.deepEqual(ledger.mismatchedAccounts, []);
    for (const [currency, sum] of ledger.sumsByCurrency) assert.equal(sum, 0n, `postings in ${currency} sum to zero`);
    const unbalanced = await db.selectFrom('bank_postings').select('entry_id').groupBy('entry_id').having(sql<boolean>`sum(amount_minor) <> 0`).execute();
    assert.deepEqual(unbalanced, [], 'every journal entry is balanced');

    // Every consent paid exactly once: one payment, the one every 201 named, executed or rejected.
    const payments = await db.selectFrom('payments').selectAll().where('client_id', '=', tpp.clientId).execute();
    assert.equal(payments.length, PAYMENTS, 'one payment per consent, no more');
    let debited = 0n;
    for (const s of staged) {
      assert.equal(s.answered.size, 1, `every 201 for consent ${s.consentId} names the same payment`);
      const [paymentId] = [...s.answered];
      const rows = payments.filter((p) => p.consent_id === s.consentId);
      assert.deepEqual(
        rows.map((p) => p.id),
        [paymentId],
        `consent ${s.consentId} has exactly the payment the server answered with`,
      );
      const payment = rows[0]!;
      assert.ok(FINAL.includes(payment.status), `${payment.id} ended ${payment.status}`);
      const view = await statusOf(payment.id);
      assert.equal(view.ConsentId, s.consentId);
      assert.ok(['ACCC', 'ACSC', 'RJCT'].includes(view.Status), view.Status);
      const entries = await db.selectFrom('bank_journal_entries').select('id').where('external_ref', '=', `payment:${payment.id}`).execute();
      if (payment.status === 'rejected') {
        assert.equal(entries.length, 0, `rejected ${payment.id} moved no money`);
      } else {
        assert.deepEqual(
          entries.map((e) => e.id),
          [payment.core_ref],
          `${payment.id} is posted exactly once`,
        );
        const debit = await db.selectFrom('bank_postings').select(['account_id', 'amount_minor']).where('entry_id', '=', payment.core_ref!).where('amount_minor', '<', 0n).execute();
        assert.deepEqual(debit, [{ account_id: aliceGbp, amount_minor: -s.amountMinor }], `${payment.id} debited the debtor once, by its amount`);
        debited += s.amountMinor;
      }
      const jobs = await db.selectFrom('scheduled_jobs').select('status').where('dedupe_key', '=', `domestic-payment:${payment.id}`).execute();
      assert.deepEqual(jobs, [{ status: 'done' }], `${payment.id} has one execution job, done`);
      const confirmations = await db.selectFrom('scheduled_jobs').select('status').where('dedupe_key', '=', `payment-settlement:${payment.id}`).execute();
      const settledByScheme = payment.status === 'settled' && payment.creditor_account_id === null;
      assert.deepEqual(confirmations, settledByScheme ? [{ status: 'done' }] : [], `${payment.id} has one settlement confirmation job if it left the bank`);
      const events = (await db.selectFrom('outbox_events').select('payload').where('event_type', '=', 'PaymentStatusChanged').orderBy('seq').execute())
        .map((row) => row.payload as { paymentId: string; status: string })
        .filter((event) => event.paymentId === payment.id)
        .map((event) => event.status);
      const statusPath = payment.status === 'rejected' ? ['pending', 'rejected'] : settledByScheme ? ['pending', 'booked', 'settled'] : ['pending', 'settled'];
      assert.deepEqual(events, statusPath, `${payment.id}: each status change has its event, once`);
    }

    // No money moved for payments that do not exist; the debtor lost exactly what was executed.
    const orphans = await db
      .selectFrom('bank_journal_entries')
      .leftJoin('payments', (join) => join.on(sql<boolean>`bank_journal_entries.external_ref = 'payment:' || payments.id`))
      .select('bank_journal_entries.id')
      .where('bank_journal_entries.kind', '=', 'domestic-payment')
      .where('payments.id', 'is', null)
      .execute();
    assert.deepEqual(orphans, [], 'no ledger entry of a payment that does not exist');
    const balanceAfter = (await db.selectFrom('bank_accounts').select('balance_minor').where('id', '=', aliceGbp).executeTakeFirstOrThrow()).balance_minor;
    assert.equal(balanceBefore - balanceAfter, debited, 'the debtor was debited exactly the executed payments');

    // Consents consumed only by payments that exist, each by one.
    const consumed = await db
      .selectFrom('consents')
      .leftJoin('payments', 'payments.consent_id', 'consents.id')
      .select(['consents.id', sql<string>`count(payments.id)`.as('payments')])
      .where('consents.client_id', '=', tpp.clientId)
      .where('consents.status', '=', 'consumed')
      .groupBy('consents.id')
      .execute();
    assert.equal(consumed.length, PAYMENTS, 'every consent of the batch is consumed');
    for (const c of consumed) assert.equal(Number(c.payments), 1, `consent ${c.id} is consumed by exactly one payment`);
  });
});
