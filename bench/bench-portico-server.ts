/**
 * The platform under benchmark, in its own process (so the load generator does not share its event
 * loop): the full Portico on the PostgreSQL and Redis named in the environment, plus one bench-only
 * route that looks like a protected resource but runs no security step — the baseline. Started by
 * bench/tokens.bench.ts over IPC; never part of production code.
 */
import { createBenchPortico } from './bench-portico.ts';
import { createAccessTokenVerifier, registerClient } from '../src/auth/index.ts';
import { checkAccessToken, checkGrantType, checkInteractionHeaders, checkScope, checkTokenBinding, requireMtls } from '../src/standards/uk-obie/v4.0/security/fapi-checks.ts';
import { decorateSecurityContext } from '../src/standards/uk-obie/v4.0/security/security-context.ts';
import { issueClientCertificate } from '../test/support/test-certificates.ts';

const BARE_ROUTE = '/bench/v4.0/aisp/account-access-consents';
const CHECKED_ROUTE = '/bench/checked/v4.0/aisp/account-access-consents';

export interface BenchServerReady {
  readonly port: number;
  /** The bench-only route without security steps (append /{ConsentId}). */
  readonly bareRoute: string;
  /** The same static answer behind the consent endpoints' security pipeline, without the consent read. */
  readonly checkedRoute: string;
  readonly caPem: string;
  readonly clientId: string;
  readonly certPem: string;
  readonly keyPem: string;
}

// Sandbox mode off: the client is registered directly (as tests do), with a certificate of the
// server's own sandbox CA, trusted at the handshake.
const portico = await createBenchPortico({ sandbox: false });

// Same response shape and size class as GET account-access-consents/{ConsentId}, no checks at all.
const staticConsent = (request: { params: { ConsentId: string } }) => ({
  Data: {
    ConsentId: request.params.ConsentId,
    CreationDateTime: '2026-01-01T00:00:00+00:00',
    Status: 'AWAU',
    StatusUpdateDateTime: '2026-01-01T00:00:00+00:00',
    Permissions: ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits'],
  },
  Risk: {},
  Links: { Self: `${portico.config.http.publicUrl}${BARE_ROUTE}/${request.params.ConsentId}` },
  Meta: {},
});
portico.server.get<{ Params: { ConsentId: string } }>(`${BARE_ROUTE}/:ConsentId`, async (request) => staticConsent(request));
// The consent endpoints' pipeline (account-access-consents.routes.ts) in front of the static answer:
// separates the cost of the security steps from that of the consent read.
const verifier = createAccessTokenVerifier({ db: portico.database.db, cache: portico.cache });
await portico.server.register(async (scope) => {
  decorateSecurityContext(scope);
  const steps = [requireMtls(), checkAccessToken(verifier), checkTokenBinding(), checkGrantType('client_credentials'), checkScope('accounts'), checkInteractionHeaders()];
  scope.get<{ Params: { ConsentId: string } }>(`${CHECKED_ROUTE}/:ConsentId`, { onRequest: steps }, async (request) => staticConsent(request));
});

const port = await portico.listen();
const clientId = 'bench-aisp';
const transport = await issueClientCertificate(portico.tls.sandboxCa, `${clientId}-transport`);
await registerClient(portico.authorizationServer, {
  client_id: clientId,
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method: 'tls_client_auth',
  tls_client_auth_subject_dn: `CN=${clientId}-transport,O=Test TPP,C=GB`,
  scope: 'accounts',
});

const ready: BenchServerReady = { port, bareRoute: BARE_ROUTE, checkedRoute: CHECKED_ROUTE, caPem: portico.tls.clientCaPems[0]!, clientId, certPem: transport.certPem, keyPem: transport.keyPem };
process.send?.(ready);
