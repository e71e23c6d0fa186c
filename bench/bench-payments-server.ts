/**
 * The platform under bench:payments, in its own process: the full Portico in sandbox mode on the
 * PostgreSQL and Redis named in the environment (directory checks, JWS verification against the
 * directory's JWKS, idempotency, consent checks and the payment scheduler all on). The parent
 * onboards and registers its TPP and stages the consents over the OB API; this process stands in
 * for the PSUs' approvals, which are set-up and not measured: on request (IPC) it authorises a
 * batch of staged payment consents from the PSU's account, with the dynamic-linking binding, and
 * issues the TPP a certificate-bound `payments` token for each, as authorisation would.
 */
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import pg from 'pg';
import { createBenchPortico } from './bench-portico.ts';
import { scaBindingOf } from '../src/modules/consents/index.ts';

/** A sandbox customer's GBP account: a payer (its PSU authorises) and a payee of the others. */
export interface BenchAccount {
  readonly username: string;
  readonly accountId: string;
  readonly balanceMinor: string;
  /** Sort code and account number, as a creditor names it. */
  readonly identification: string;
}

export interface BenchPaymentsServerReady {
  readonly port: number;
  readonly caPem: string;
  readonly publicUrl: string;
  readonly databaseUrl: string;
  /** Up to 50 sandbox customers' GBP accounts, largest balance first: the bench pays between them. */
  readonly accounts: readonly BenchAccount[];
}

export interface AuthoriseRequest {
  readonly type: 'authorise';
  readonly clientId: string;
  readonly transportCertificatePem: string;
  /** Each staged consent with the index (in `accounts`) of the account its PSU pays from. */
  readonly consents: ReadonlyArray<{ readonly consentId: string; readonly payer: number }>;
}

/** Asks for the SQL statements this process has sent so far (answered `{ statements }`). */
export interface StatementsRequest {
  readonly type: 'statements';
}

/** Starts this process's CPU profile, or stops it and writes it to `file` (answered `{ profiled }`). */
export interface ProfileRequest {
  readonly type: 'profile';
  readonly file?: string;
}

// Every SQL statement the platform sends goes through a node-postgres client: counted, so that the
// bench can report statements per payment over a measure.
let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: Parameters<typeof query>) {
  statements += 1;
  return query.apply(this, args);
} as typeof query;

// Enough customers for 50 GBP accounts to pay between; one month of history is plenty.
const portico = await createBenchPortico({ sandbox: true, customers: 40 });
const { db } = portico.database;
const port = await portico.listen();

// The sandbox customers' GBP accounts, one per row with the PSU who owns it; largest balance first.
const gbp = await db
  .selectFrom('bank_accounts')
  .innerJoin('bank_account_holders', 'bank_account_holders.account_id', 'bank_accounts.id')
  .innerJoin('psu_users', 'psu_users.party_id', 'bank_account_holders.party_id')
  .select(['bank_accounts.id', 'bank_accounts.balance_minor', 'bank_accounts.sort_code', 'bank_accounts.account_number', 'psu_users.id as psu_id', 'psu_users.party_id', 'psu_users.username'])
  .where('bank_account_holders.role', '=', 'Owner')
  .where('bank_accounts.currency', '=', 'GBP')
  .where('bank_accounts.status', '=', 'Enabled')
  .where('bank_accounts.sort_code', 'is not', null)
  .orderBy('bank_accounts.balance_minor', 'desc')
  .limit(50)
  .execute();

let profiler: Session | undefined;
/** Profiles from one request to the next: the first starts the profiler, the second writes the profile. */
const profile = async ({ file }: ProfileRequest) => {
  if (!profiler) {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
    return;
  }
  const { profile: taken } = await profiler.post('Profiler.stop');
  profiler.disconnect();
  profiler = undefined;
  if (file) writeFileSync(file, JSON.stringify(taken));
};

process.on('message', (message) => {
  if ((message as StatementsRequest).type === 'statements') {
    process.send?.({ statements });
    return;
  }
  if ((message as ProfileRequest).type === 'profile') {
    void profile(message as ProfileRequest).then(
      () => process.send?.({ profiled: true }),
      (error: unknown) => process.send?.({ error: String(error) }),
    );
    return;
  }
  const request = message as AuthoriseRequest;
  void (async () => {
    const provider = portico.authorizationServer;
    const client = await provider.Client.find(request.clientId);
    if (!client) throw new Error(`no client ${request.clientId}`);
    const certificate = new X509Certificate(request.transportCertificatePem);
    const tokens: string[] = [];
    for (const { consentId, payer: index } of request.consents) {
      const payer = gbp[index]!;
      const consent = await portico.consents.find(consentId);
      if (!consent?.payment) throw new Error(`no payment consent ${consentId}`);
      const grant = new provider.Grant({ accountId: payer.psu_id, clientId: request.clientId });
      grant.addOIDCScope('openid payments');
      grant.addOIDCClaims(['openbanking_intent_id']);
      const grantId = await grant.save();
      await portico.consents.authorise(consentId, { psuId: payer.psu_id, partyId: payer.party_id, accountIds: [payer.id], grantId, scaBinding: scaBindingOf(consentId, consent.payment) });
      const token = new provider.AccessToken({ accountId: payer.psu_id, client, grantId, gty: 'authorization_code', scope: 'openid payments' });
      token.setThumbprint('x5t', certificate);
      tokens.push(await token.save());
    }
    process.send?.({ tokens });
  })().catch((error: unknown) => process.send?.({ error: String(error) }));
});

const ready: BenchPaymentsServerReady = {
  port,
  caPem: portico.tls.clientCaPems[0]!,
  publicUrl: portico.config.http.publicUrl,
  databaseUrl: portico.config.database.url!,
  accounts: gbp.map((row) => ({ username: row.username, accountId: row.id, balanceMinor: String(row.balance_minor), identification: `${row.sort_code}${row.account_number}` })),
};
process.send?.(ready);
