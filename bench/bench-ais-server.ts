/**
 * The platform under bench:ais, in its own process: the full Portico in sandbox mode (seeded bank,
 * sandbox QTSP, directory checks on every call) on the PostgreSQL and Redis named in the
 * environment. It onboards a TPP, registers its client, has the first sandbox customer with a
 * current account authorise an account-access consent, and issues that TPP a certificate-bound
 * PSU token, as the authorisation flow would. It also serves the baseline: bench-only routes that
 * return a fixed JSON document with no checks. Started by bench/ais.bench.ts over IPC.
 */
import { X509Certificate } from 'node:crypto';
import { subjectDnOf } from '../test/support/ob-dcr-client.ts';
import { createBenchPortico } from './bench-portico.ts';
import { registerClient } from '../src/auth/index.ts';
import { accessScopeOfObPermissions } from '../src/standards/uk-obie/v4.0/_wire/ob-access-scope.ts';

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
const { db } = portico.database;

let baseline: BaselineDocuments | undefined;
process.on('message', (message) => {
  baseline = message as BaselineDocuments;
  process.send?.('baseline-set');
});
portico.server.get(`${BARE_PREFIX}/:AccountId/balances`, async () => baseline?.balances ?? {});
portico.server.get(`${BARE_PREFIX}/:AccountId/transactions`, async () => baseline?.transactions ?? {});

const port = await portico.listen();

// A TPP as the sandbox onboards it, and its client as DCR would register it (tls_client_auth).
const onboarded = await portico.server.inject({
  method: 'POST',
  url: '/sandbox/v1/tpps',
  payload: { organisationName: 'Bench Aggregator Ltd', roles: ['AISP'], redirectUris: ['https://tpp.example/callback'] },
});
if (onboarded.statusCode !== 201) throw new Error(`onboarding failed: ${onboarded.statusCode} ${onboarded.body}`);
const tpp = onboarded.json<{ transport: { certificatePem: string; privateKeyPem: string } }>();
const clientId = 'bench-aisp';
await registerClient(portico.authorizationServer, {
  client_id: clientId,
  grant_types: ['authorization_code', 'client_credentials', 'refresh_token'],
  response_types: ['code'],
  redirect_uris: ['https://tpp.example/callback'],
  token_endpoint_auth_method: 'tls_client_auth',
  tls_client_auth_subject_dn: subjectDnOf(tpp.transport.certificatePem),
  scope: 'openid accounts',
});

// The customer with the longest history on a GBP current account.
const busiest = await db
  .selectFrom('bank_transactions')
  .innerJoin('bank_account_holders', 'bank_account_holders.account_id', 'bank_transactions.account_id')
  .innerJoin('psu_users', 'psu_users.party_id', 'bank_account_holders.party_id')
  .select(['bank_transactions.account_id', 'psu_users.id as psu_id', 'psu_users.party_id', (eb) => eb.fn.countAll<string>().as('n')])
  .where('bank_account_holders.role', '=', 'Owner')
  .groupBy(['bank_transactions.account_id', 'psu_users.id', 'psu_users.party_id'])
  .orderBy('n', 'desc')
  .limit(1)
  .executeTakeFirstOrThrow();

const consent = await portico.consents.create({
  kind: 'account-access',
  clientId,
  access: accessScopeOfObPermissions(['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits'], { from: null, to: null }),
});
const provider = portico.authorizationServer;
const grant = new provider.Grant({ accountId: busiest.psu_id, clientId });
grant.addOIDCScope('openid accounts');
grant.addOIDCClaims(['openbanking_intent_id']);
const grantId = await grant.save();
await portico.consents.authorise(consent.id, { psuId: busiest.psu_id, partyId: busiest.party_id, accountIds: [busiest.account_id], grantId });
const client = await provider.Client.find(clientId);
const accessToken = new provider.AccessToken({ accountId: busiest.psu_id, client: client!, grantId, gty: 'authorization_code', scope: 'openid accounts' });
accessToken.setThumbprint('x5t', new X509Certificate(tpp.transport.certificatePem));
const token = await accessToken.save();

const ready: BenchAisServerReady = {
  port,
  barePrefix: BARE_PREFIX,
  caPem: portico.tls.clientCaPems[0]!,
  certPem: tpp.transport.certificatePem,
  keyPem: tpp.transport.privateKeyPem,
  token,
  transactions: Number(busiest.n),
};
process.send?.(ready);
