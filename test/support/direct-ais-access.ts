/**
 * A TPP's AIS access as the authorisation flow would leave it, made directly (benchmarks, and tests
 * of modes without onboarding by DCR): its client registered as DCR would (tls_client_auth with its
 * transport certificate's subject), the sandbox customer with the longest history on an account
 * authorising an account-access consent, and a PSU access token bound to the certificate.
 */
import { X509Certificate } from 'node:crypto';
import type { Portico } from '../../src/app/index.ts';
import { registerClient } from '../../src/auth/index.ts';
import { accessScopeOfObPermissions } from '../../src/standards/uk-obie/v4.0/_wire/ob-access-scope.ts';
import { subjectDnOf } from './ob-dcr-client.ts';

export async function prepareAisAccess(portico: Portico, transportCertificatePem: string, clientId = 'bench-aisp'): Promise<{ token: string; transactions: number }> {
  const { db } = portico.database;
  await registerClient(portico.authorizationServer, {
    client_id: clientId,
    grant_types: ['authorization_code', 'client_credentials', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: ['https://tpp.example/callback'],
    token_endpoint_auth_method: 'tls_client_auth',
    tls_client_auth_subject_dn: subjectDnOf(transportCertificatePem),
    scope: 'openid accounts',
  });
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
  accessToken.setThumbprint('x5t', new X509Certificate(transportCertificatePem));
  return { token: await accessToken.save(), transactions: Number(busiest.n) };
}
