import { randomUUID, X509Certificate } from 'node:crypto';
import { consentsOf } from './consents-module.ts';
import type { TestPortico } from './start-test-portico.ts';
import type { TppClient } from './tpp-client.ts';
import type { HttpsResponse } from './https-client.ts';
import { forgeStoredToken } from './forged-tokens.ts';

export const AISP = '/open-banking/v4.0/aisp';

export interface SandboxPsuIdentity {
  readonly psuId: string;
  readonly partyId: string;
  /** The accounts the PSU holds, in the core's order. */
  readonly accountIds: string[];
}

/** A sandbox PSU by position (0 = the first customer), with its accounts. */
export async function sandboxPsu(app: TestPortico, position: number): Promise<SandboxPsuIdentity> {
  const { db } = app.portico.database;
  const row = await db
    .selectFrom('sandbox_psus')
    .innerJoin('psu_users', 'psu_users.username', 'sandbox_psus.username')
    .select(['psu_users.id', 'psu_users.party_id'])
    .orderBy('sandbox_psus.position')
    .offset(position)
    .limit(1)
    .executeTakeFirstOrThrow();
  const accounts = await app.portico.core.listAccountsOfParty(row.party_id);
  return { psuId: row.id, partyId: row.party_id, accountIds: accounts.map((a) => a.id) };
}

export interface ConsentRequest {
  readonly permissions: readonly string[];
  readonly expirationDateTime?: string;
  readonly transactionFromDateTime?: string;
  readonly transactionToDateTime?: string;
}

/** The TPP stages an account-access consent through the OB API (client-credentials token). */
export async function stageConsent(tpp: TppClient, request: ConsentRequest): Promise<string> {
  const token = await tpp.clientCredentialsToken('accounts');
  const response = await tpp.mtls(`${AISP}/account-access-consents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-fapi-interaction-id': randomUUID() },
    body: JSON.stringify({
      Data: {
        Permissions: request.permissions,
        ...(request.expirationDateTime ? { ExpirationDateTime: request.expirationDateTime } : {}),
        ...(request.transactionFromDateTime ? { TransactionFromDateTime: request.transactionFromDateTime } : {}),
        ...(request.transactionToDateTime ? { TransactionToDateTime: request.transactionToDateTime } : {}),
      },
      Risk: {},
    }),
  });
  if (response.status !== 201) throw new Error(`consent creation failed: ${response.status} ${response.text}`);
  return response.json<{ Data: { ConsentId: string } }>().Data.ConsentId;
}

/** A grant of the authorisation server for the PSU and client, as the PSU's approval creates it. */
export async function newGrant(app: TestPortico, tpp: TppClient, psuId: string, scope = 'openid accounts'): Promise<string> {
  const provider = app.portico.authorizationServer;
  const grant = new provider.Grant({ accountId: psuId, clientId: tpp.clientId });
  grant.addOIDCScope(scope);
  grant.addOIDCClaims(['openbanking_intent_id']);
  return grant.save();
}

/**
 * An authorization-code access token as the authorisation server issues it at the end of the
 * PSU's authorisation: for the PSU and client, under the grant, bound to the TPP's transport
 * certificate, its `openbanking_intent_id` taken by the server from the consent of the grant.
 * `forgeConsentId` answers a forged copy naming another consent instead (`forgeStoredToken`), to
 * test what the resource side does with a token that names a consent it was never issued for.
 */
export async function issuePsuToken(
  app: TestPortico,
  tpp: TppClient,
  psuId: string,
  options: { grantId?: string; forgeConsentId?: string; certificatePem?: string; scope?: string } = {},
): Promise<string> {
  const provider = app.portico.authorizationServer;
  const client = await provider.Client.find(tpp.clientId);
  if (!client) throw new Error(`no client ${tpp.clientId}`);
  const scope = options.scope ?? 'openid accounts';
  const grantId = options.grantId ?? (await newGrant(app, tpp, psuId, scope));
  const token = new provider.AccessToken({ accountId: psuId, client, grantId, gty: 'authorization_code', scope });
  // The leaf of the presented chain, as the TLS stack hands it to the authorisation server.
  token.setThumbprint('x5t', new X509Certificate(options.certificatePem ?? tpp.tpp.transport.certificatePem));
  const value = await token.save();
  const { forgeConsentId } = options;
  if (forgeConsentId) return forgeStoredToken(app.portico.database.db, value, (payload) => ({ payload: { ...payload, extra: { openbanking_intent_id: forgeConsentId } } }));
  return value;
}

export interface AisAccess {
  readonly consentId: string;
  readonly token: string;
}

/** Stages a consent, has the PSU authorise it for some accounts, and returns the PSU's token. */
export async function grantAccountAccess(
  app: TestPortico,
  tpp: TppClient,
  psu: SandboxPsuIdentity,
  request: ConsentRequest & { accountIds?: readonly string[] },
): Promise<AisAccess> {
  const consentId = await stageConsent(tpp, request);
  const grantId = await newGrant(app, tpp, psu.psuId);
  await consentsOf(app.portico.database.db).authorise(consentId, { psuId: psu.psuId, partyId: psu.partyId, accountIds: request.accountIds ?? psu.accountIds, grantId });
  const token = await issuePsuToken(app, tpp, psu.psuId, { grantId });
  const stored = await app.portico.authorizationServer.AccessToken.find(token);
  if (stored?.extra?.['openbanking_intent_id'] !== consentId) throw new Error('the issued token does not name the consent');
  return { consentId, token };
}

/** A GET of an AIS resource as the TPP: mTLS, the PSU token, an interaction id. */
export function aisGet(tpp: TppClient, token: string, pathname: string, headers: Record<string, string> = {}): Promise<HttpsResponse> {
  return tpp.mtls(pathname.startsWith('/') ? pathname : `${AISP}/${pathname}`, {
    headers: { authorization: `Bearer ${token}`, 'x-fapi-interaction-id': randomUUID(), ...headers },
  });
}
