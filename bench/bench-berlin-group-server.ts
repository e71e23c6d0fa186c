/**
 * The platform under bench:berlin-group, in its own process: the full Portico in sandbox mode
 * (seeded bank, sandbox QTSP, directory checks on every call) on the PostgreSQL and Redis named in
 * the environment. Over HTTP, as a NextGenPSD2 TPP and its PSU would, it onboards a TPP with the
 * AISP role, creates a consent for the sandbox EUR account (known by IBAN) with the most
 * transactions, and has the PSU authorise it through the redirect SCA. It also serves the
 * baseline: bench-only routes that return a fixed JSON document with no checks. Started by
 * bench/berlin-group.bench.ts over IPC.
 */
import assert from 'node:assert/strict';
import { createBenchPortico } from './bench-portico.ts';
import { httpsRequest } from '../test/support/https-client.ts';
import type { TestPortico } from '../test/support/start-test-portico.ts';
import { detailedConsent, psuCompletesSca, psusWithIban, XS2A, XS2A_REDIRECT_URI, Xs2aClient } from '../test/support/xs2a-client.ts';

const BARE_PREFIX = '/bench/berlin-group/v1/accounts';

/** What the server sends when ready. The parent imports only this type: importing a value from this file would run a second server in the parent. */
export interface BenchBerlinGroupServerReady {
  readonly port: number;
  /** The baseline routes' prefix (append /{account-id}/balances or /transactions). */
  readonly barePrefix: string;
  readonly caPem: string;
  /** The TPP's QWAC and its key. */
  readonly certPem: string;
  readonly keyPem: string;
  readonly consentId: string;
  /** The account's `resourceId` in the facade's paths. */
  readonly resourceId: string;
  readonly iban: string;
  readonly transactions: number;
}

/** The parent sends the real answers once; the bare routes return them with no checks. */
export interface BaselineDocuments {
  readonly balances: unknown;
  readonly transactions: unknown;
}

const portico = await createBenchPortico({ sandbox: true });

let baseline: BaselineDocuments | undefined;
process.on('message', (message) => {
  baseline = message as BaselineDocuments;
  process.send?.('baseline-set');
});
portico.server.get(`${BARE_PREFIX}/:accountId/balances`, async () => baseline?.balances ?? {});
portico.server.get(`${BARE_PREFIX}/:accountId/transactions`, async () => baseline?.transactions ?? {});

const port = await portico.listen();
const caPem = portico.tls.clientCaPems[0]!;
// The test clients drive the set-up over HTTPS, as a TPP and a PSU's browser would. The links the
// platform hands out carry its public URL, not the ephemeral port it listens on, so `base` is the
// former (the PSU's browser follows links within it) and requests go to the latter.
const app: TestPortico = {
  portico,
  base: portico.config.http.publicUrl,
  request: (pathname, options = {}) => httpsRequest(`https://localhost:${port}${pathname}`, { ...options, ca: caPem }),
  close: () => portico.close(),
};

const tpp = await Xs2aClient.onboard(app, 'Bench Kontoblick GmbH', ['AISP']);
// The busiest account gives the transactions read its fullest page, as in bench:ais.
const candidates = await psusWithIban(app);
const counts = await portico.database.db
  .selectFrom('bank_transactions')
  .select(['account_id', (eb) => eb.fn.countAll<string>().as('n')])
  .where('account_id', 'in', candidates.map((c) => c.accountId))
  .groupBy('account_id')
  .execute();
const transactionsOf = (accountId: string) => Number(counts.find((row) => row.account_id === accountId)?.n ?? 0);
const busiest = [...candidates].sort((a, b) => transactionsOf(b.accountId) - transactionsOf(a.accountId))[0]!;

// frequencyPerDay 4, the most the facade grants: the timed reads send PSU-IP-Address, so they do not count.
const created = await tpp.createConsent(detailedConsent([busiest.iban], { frequencyPerDay: 4 }));
assert.equal(created.status, 201, created.text);
const { consentId, _links } = created.json<{ consentId: string; _links: Record<string, { href: string }> }>();
assert.equal(await psuCompletesSca(app, _links['scaRedirect']!.href, busiest.psu), XS2A_REDIRECT_URI, 'the PSU authorised the consent');
const list = await tpp.request(`${XS2A}/accounts`, { headers: { 'consent-id': consentId }, psuPresent: true });
assert.equal(list.status, 200, list.text);
const account = list.json<{ accounts: Array<{ resourceId: string; iban: string }> }>().accounts[0];
assert.ok(account?.iban === busiest.iban, `the consent names ${busiest.iban}`);

const ready: BenchBerlinGroupServerReady = {
  port,
  barePrefix: BARE_PREFIX,
  caPem,
  certPem: tpp.tpp.transport.certificatePem,
  keyPem: tpp.tpp.transport.privateKeyPem,
  consentId,
  resourceId: account.resourceId,
  iban: busiest.iban,
  transactions: transactionsOf(busiest.accountId),
};
process.send?.(ready);
