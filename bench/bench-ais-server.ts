/**
 * The platform under bench:ais, in its own process: the full Portico in sandbox mode (seeded bank,
 * sandbox QTSP, directory checks on every call) on the PostgreSQL and Redis named in the
 * environment. It onboards a TPP, registers its client, has the first sandbox customer with a
 * current account authorise an account-access consent, and issues that TPP a certificate-bound
 * PSU token, as the authorisation flow would. It also serves the baseline: bench-only routes that
 * return a fixed JSON document with no checks. Started by bench/ais.bench.ts over IPC.
 */
import { createBenchPortico } from './bench-portico.ts';
import { prepareAisAccess } from '../test/support/direct-ais-access.ts';

const BARE_PREFIX = '/bench/v4.0/aisp/accounts';

/** What the server sends when ready. The parent imports only this type: importing a value from this file would run a second server in the parent. */
export interface BenchAisServerReady {
  readonly port: number;
  /** The baseline routes' prefix (append /{AccountId}/balances or /transactions). */
  readonly barePrefix: string;
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly token: string;
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
portico.server.get(`${BARE_PREFIX}/:AccountId/balances`, async () => baseline?.balances ?? {});
portico.server.get(`${BARE_PREFIX}/:AccountId/transactions`, async () => baseline?.transactions ?? {});

const port = await portico.listen();

// A TPP as the sandbox onboards it.
const onboarded = await portico.server.inject({
  method: 'POST',
  url: '/sandbox/v1/tpps',
  payload: { organisationName: 'Bench Aggregator Ltd', roles: ['AISP'], redirectUris: ['https://tpp.example/callback'] },
});
if (onboarded.statusCode !== 201) throw new Error(`onboarding failed: ${onboarded.statusCode} ${onboarded.body}`);
const tpp = onboarded.json<{ transport: { certificatePem: string; privateKeyPem: string } }>();
const { token, transactions } = await prepareAisAccess(portico, tpp.transport.certificatePem);

const ready: BenchAisServerReady = {
  port,
  barePrefix: BARE_PREFIX,
  caPem: portico.tls.clientCaPems[0]!,
  certPem: tpp.transport.certificatePem,
  keyPem: tpp.transport.privateKeyPem,
  token,
  transactions,
};
process.send?.(ready);
