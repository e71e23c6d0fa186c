import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { JSONWebKeySet } from 'jose';
import { unpublishedBacklog } from '../../src/platform/outbox/index.ts';
import { sql } from 'kysely';
import { AISP, aisGet, grantAccountAccess, type AisAccess, type SandboxPsuIdentity } from '../support/ais-access.ts';
import { startCoreGatewayProcess, type CoreGatewayProcess } from '../support/core-gateway-process.ts';
import { expectObError } from '../support/ob-errors.ts';
import { checkPisResponse, PISP, pisGet, startPisFixture, submitDomesticPayment, type ObCreditor, type PisFixture, type ResponseCheck } from '../support/pis-access.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { waitFor } from '../support/wait-for.ts';

interface ObPayment {
  Data: { DomesticPaymentId: string; Status: string; StatusReason?: Array<{ StatusReasonCode: string }> };
}

/**
 * The bank's core unreachable (its gateway behind a TCP proxy that goes down) while Portico runs on
 * it with CORE=remote: accepted payments wait in the job queue and execute once when it is back;
 * AIS reads come from what Portico keeps or are refused with the standard's error and Retry-After;
 * a payment whose execution runs out of attempts is rejected (AB07) and raises the operator alert.
 */
describe('core outage with CORE=remote (PostgreSQL, the gateway in another process behind a TCP proxy)', () => {
  let core: CoreGatewayProcess;
  let proxy: TcpProxy;
  let fixture: PisFixture;
  let alice: SandboxPsuIdentity;
  let aliceGbp: string;
  let bobCreditor: ObCreditor;
  let bankJwks: JSONWebKeySet;
  let checked: ResponseCheck;

  before(async () => {
    core = await startCoreGatewayProcess();
    proxy = new TcpProxy('127.0.0.1', core.port);
    await proxy.up();
    fixture = await startPisFixture('postgres', { tpp: 'Outage Pay Ltd', other: 'Other Outage Ltd' }, {
      ...core.env,
      CORE_GATEWAY_URL: `https://127.0.0.1:${proxy.port}/core/v1`,
      CORE_TIMEOUT_MS: '500',
      CORE_RETRIES: '0',
      CORE_CIRCUIT_OPEN_MS: '300',
      JOB_RETRY_BASE_MS: '200',
      JOB_RETRY_MAX_MS: '1000',
    });
    ({ alice, aliceGbp, bobCreditor, bankJwks } = fixture);
    checked = (method, pathname, response) => checkPisResponse('payment-initiation', bankJwks, method, pathname, response);
  });
  after(async () => {
    await fixture?.app.close();
    await proxy?.down();
    await core?.stop();
  });

  const scheduler = () => fixture.app.portico.scheduler;

  /** The TPP stages and the PSU authorises a payment of `amount` to Bob, and the TPP submits it: 201, pending. */
  const submitPayment = (amount: string): Promise<string> => submitDomesticPayment(fixture.app, fixture.tpp, checked, { psu: alice, accountId: aliceGbp, amount, creditor: bobCreditor, remittance: 'Outage' });

  async function payment(id: string): Promise<ObPayment> {
    const read = await checked('GET', `${PISP}/domestic-payments/${id}`, await pisGet(fixture.tpp, `/domestic-payments/${id}`, await fixture.tpp.clientCredentialsToken('payments')));
    assert.equal(read.status, 200, read.text);
    return read.json<ObPayment>();
  }

  const coreEntries = async (id: string) => (await core.coreDb.db.selectFrom('bank_journal_entries').select('id').where('external_ref', '=', `payment:${id}`).execute()).length;

  it('payments accepted before the outage wait (Pending) and each executes exactly once when the core is back', async () => {
    // The worker is away while the TPP submits: the executions wait in the durable job queue.
    await scheduler().stop();
    const ids = [];
    for (const amount of ['1.01', '1.02', '1.03']) ids.push(await submitPayment(amount));
    await proxy.down();
    scheduler().start();
    // The worker meets the unreachable core: each attempt fails, and the payment stays Pending.
    await waitFor(async () => {
      const jobs = await fixture.app.portico.database.db.selectFrom('scheduled_jobs').select('attempts').where('kind', '=', 'payments.execute-domestic-payment').where('status', '=', 'pending').execute();
      return jobs.length >= ids.length && jobs.every((job) => job.attempts >= 2);
    }, 'the executions to have failed twice');
    for (const id of ids) assert.equal((await payment(id)).Data.Status, 'PDNG');
    await proxy.up();
    for (const id of ids) await waitFor(async () => (await payment(id)).Data.Status === 'ACCC', `payment ${id} to execute after the outage`);
    for (const id of ids) assert.equal(await coreEntries(id), 1, `payment ${id} booked once in the core`);
  });

  it('AIS reads during the outage: what Portico keeps is served, what it does not is refused with 503, the OB error and Retry-After', async () => {
    const access: AisAccess = await grantAccountAccess(fixture.app, fixture.tpp, alice, {
      permissions: ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits'],
      accountIds: [aliceGbp],
    });
    const accountRef = (await aisGet(fixture.tpp, access.token, `${AISP}/accounts`)).json<{ Data: { Account: Array<{ AccountId: string }> } }>().Data.Account[0]!.AccountId;
    // Portico has caught up with the core: every change of the gateway's feed recorded by the
    // follower and handled by the read model's consumer, so no later event retires what is cached.
    await waitFor(async () => {
      if ((await unpublishedBacklog(core.coreDb.db)).waiting > 0) return false;
      const feed = await sql<{ id: string }>`SELECT id FROM core_change_feed`.execute(core.coreDb.db);
      const accountChanges = feed.rows.map((row) => row.id);
      const handled = await fixture.app.portico.database.db.selectFrom('processed_events').select('event_id').where('consumer', '=', 'accounts-read-model').execute();
      const seen = new Set(handled.map((row) => row.event_id));
      const recorded = await fixture.app.portico.database.db.selectFrom('outbox_events').select(['id', 'event_type']).where('id', 'in', accountChanges.length > 0 ? accountChanges : ['none']).execute();
      return recorded.length === accountChanges.length && recorded.filter((event) => event.event_type !== 'PaymentStatusChanged').every((event) => seen.has(event.id));
    }, 'Portico to have caught up with the core');
    const balances = await aisGet(fixture.tpp, access.token, `${AISP}/accounts/${accountRef}/balances`);
    const transactions = await aisGet(fixture.tpp, access.token, `${AISP}/accounts/${accountRef}/transactions`);
    assert.equal(balances.status, 200, balances.text);
    assert.equal(transactions.status, 200, transactions.text);
    await proxy.down();
    try {
      const balancesDuring = await aisGet(fixture.tpp, access.token, `${AISP}/accounts/${accountRef}/balances`);
      assert.equal(balancesDuring.status, 200, balancesDuring.text);
      // The amounts as before (their DateTime is when the read model last read the core).
      const amounts = (response: typeof balances) => response.json<{ Data: { Balance: Array<{ DateTime?: string }> } }>().Data.Balance.map(({ DateTime: _at, ...balance }) => balance);
      assert.deepEqual(amounts(balancesDuring), amounts(balances), 'balances from the read model');
      const transactionsDuring = await aisGet(fixture.tpp, access.token, `${AISP}/accounts/${accountRef}/transactions`);
      assert.equal(transactionsDuring.status, 200, transactionsDuring.text);
      assert.deepEqual(transactionsDuring.json<{ Data: unknown }>().Data, transactions.json<{ Data: unknown }>().Data, 'the cached page, within ACCOUNT_READ_CACHE_SECONDS');
      // A listing never read before needs the core.
      const uncached = await aisGet(fixture.tpp, access.token, `${AISP}/accounts/${accountRef}/transactions?fromBookingDateTime=2020-01-01T00:00:00`);
      expectObError(uncached, 503, 'U000');
      assert.ok(Number(uncached.headers['retry-after']) >= 1, `Retry-After: ${String(uncached.headers['retry-after'])}`);
    } finally {
      await proxy.up();
    }
  });

  it('a payment whose execution runs out of attempts is rejected (RJCT, AB07) for the TPP to see, and raises the operator alert; nothing is booked', async () => {
    const metric = async () => Number((await fixture.app.request('/metrics')).text.split('\n').find((line) => line.startsWith('portico_payment_executions_abandoned_total '))?.split(' ')[1] ?? 'NaN');
    const before = await metric();
    await scheduler().stop();
    const id = await submitPayment('2.22');
    await proxy.down();
    try {
      scheduler().start();
      await waitFor(async () => (await payment(id)).Data.Status === 'RJCT', 'the execution to be given up', 60_000);
    } finally {
      await proxy.up();
    }
    const rejected = await payment(id);
    assert.equal(rejected.Data.StatusReason?.[0]?.StatusReasonCode, 'AB07');
    assert.equal(await metric(), before + 1);
    assert.equal(await coreEntries(id), 0, 'the core never saw it');
    const job = await fixture.app.portico.database.db.selectFrom('scheduled_jobs').select(['status', 'attempts', 'max_attempts']).where('kind', '=', 'payments.execute-domestic-payment').where('dedupe_key', 'like', `%:${id}`).executeTakeFirst();
    assert.equal(job?.status, 'done', 'given up, not failed: the payment reached its final status');
  });

  it('/metrics shows the outage and the traffic: core calls by outcome, circuit openings, per-TPP requests and the database pool', async () => {
    const text = (await fixture.app.request('/metrics')).text;
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 'NaN');
    assert.ok(value(/^portico_core_requests_total\{operation="POST payments",outcome="ok"\} (\d+)/m) >= 3, 'the payments executed after the outage');
    assert.ok(value(/^portico_core_requests_total\{operation="POST payments",outcome="unavailable"\} (\d+)/m) >= 1, 'attempts that met the outage');
    assert.ok(value(/^portico_core_circuit_opens_total (\d+)/m) >= 1);
    const route = `${PISP}/domestic-payments`;
    assert.ok(value(new RegExp(`^portico_tpp_requests_total\\{client_id="${fixture.tpp.clientId}",route="${route}",status_class="2xx"\\} (\\d+)`, 'm')) >= 4, 'the TPP\'s submissions');
    assert.ok(value(new RegExp(`^portico_tpp_request_duration_seconds_count\\{client_id="${fixture.tpp.clientId}"\\} (\\d+)`, 'm')) >= 4);
    assert.ok(value(/^portico_db_pool_connections\{state="total"\} (\d+)/m) >= 1);
  });
});
