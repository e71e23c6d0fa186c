import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, flattenedVerify, type JSONWebKeySet } from 'jose';
import { checkScript, type AssertionOutcome } from './check-assertions.ts';
import { jsonPath } from './json-path.ts';
import { CONFORMANCE_APIS, loadManifests, type ConformanceApi, type ConformanceManifests, type ConformanceScript } from './manifest.ts';
import { OutsideTpp, send, type FapiProfileName, type WireResponse } from './outside-tpp.ts';
import { OneTimeCodes, PsuBrowser, type PsuLogin } from './psu-browser.ts';
import { ResponseSchemas } from './response-schema.ts';
import { groupAccessPermissions } from './group-access-permissions.ts';
import { ScriptScope, UnresolvedPlaceholder, type TemplateValue } from './template.ts';
import { tokenRouteOf } from './token-route.ts';
import { NOT_APPLICABLE } from './not-applicable.ts';

export interface ConformanceOptions {
  readonly baseUrl: string;
  /** PEM of the CA that issued the bank's server certificate. */
  readonly ca?: string;
  readonly profile: FapiProfileName;
  readonly apis: readonly ConformanceApi[];
  readonly chromiumPath: string;
  readonly serverSpkiHash?: string;
  /** Values for the suite's placeholders, over the defaults (e.g. creditorIdentification). */
  readonly values?: Readonly<Record<string, string>>;
  readonly onProgress?: (done: number, total: number, result: ScriptResult) => void;
  /** One-time codes already spent, shared by the runs against one bank (a code is good once). */
  readonly codes?: OneTimeCodes;
  /**
   * The PSU's address, sent as `x-fapi-customer-ip-address` on the AIS scripts' requests (the PSU
   * is present: the run drives their browser). Without it the reads are unattended, and the bank's
   * daily limit of unattended reads (OB: four per consent and resource) answers the fifth 429.
   */
  readonly customerIpAddress?: string;
}

export type ScriptStatus = 'passed' | 'failed' | 'not-applicable';

export interface ScriptResult {
  readonly api: ConformanceApi;
  readonly id: string;
  readonly description: string;
  readonly refURI: string;
  readonly request: string;
  readonly status: ScriptStatus;
  readonly reason: string;
  readonly outcomes: readonly AssertionOutcome[];
  readonly responseStatus?: number;
  readonly durationMs: number;
}

export interface ConformanceRun {
  readonly profile: FapiProfileName;
  readonly baseUrl: string;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly results: readonly ScriptResult[];
}

const isoSeconds = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, '+00:00');
const REDIRECT_URI = 'https://conformance-tpp.example/callback';

/** Runs the OBIE v4.0 manifests against a bank as an outside TPP, with a PSU in Chromium. */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceRun> {
  const startedAt = new Date();
  const manifests = loadManifests();
  const psus = await sandboxPsus(options);
  if (psus.length < 2) throw new Error('the bank lists fewer than two sandbox PSUs');
  const tpp = await OutsideTpp.onboard(options.baseUrl, options.ca, `Conformance ${options.profile} ${randomUUID().slice(0, 8)}`, REDIRECT_URI, options.profile);
  await tpp.register();
  const bankJwks = await bankKeys(tpp);
  const browser = await PsuBrowser.launch({ chromiumPath: options.chromiumPath, ...(options.serverSpkiHash ? { serverSpkiHash: options.serverSpkiHash } : {}) });
  const run = new ConformanceSession(options, manifests, tpp, browser, psus, bankJwks);
  try {
    const results = await run.all();
    return { profile: options.profile, baseUrl: options.baseUrl, startedAt, durationMs: Date.now() - startedAt.getTime(), results };
  } finally {
    await browser.close();
  }
}

async function sandboxPsus(options: ConformanceOptions): Promise<PsuLogin[]> {
  const response = await send(options.baseUrl, options.ca, undefined, '/sandbox/v1/psus', {});
  if (response.status !== 200) throw new Error(`GET /sandbox/v1/psus answered ${response.status}`);
  return JSON.parse(response.text) as PsuLogin[];
}

async function bankKeys(tpp: OutsideTpp): Promise<JSONWebKeySet> {
  const discovery = await tpp.request('/.well-known/openid-configuration', { mtls: false });
  const { jwks_uri: jwksUri } = JSON.parse(discovery.text) as { jwks_uri: string };
  const jwks = await tpp.request(new URL(jwksUri).pathname, { mtls: false });
  return JSON.parse(jwks.text) as JSONWebKeySet;
}

class ConformanceSession {
  private readonly context = new Map<string, TemplateValue>();
  private readonly consentTokens = new Map<string, string>();
  private readonly ccgTokens = new Map<string, string>();
  private readonly codes: OneTimeCodes;
  private readonly schemas = new ResponseSchemas();
  private readonly results: ScriptResult[] = [];
  private paymentPsu = 0;
  private total = 0;

  constructor(
    private readonly options: ConformanceOptions,
    private readonly manifests: ConformanceManifests,
    private readonly tpp: OutsideTpp,
    private readonly browser: PsuBrowser,
    private readonly psus: readonly PsuLogin[],
    private readonly bankJwks: JSONWebKeySet,
  ) {
    this.codes = options.codes ?? new OneTimeCodes();
  }

  /** The AIS PSU; payments rotate through the others, so one-time codes are not the bottleneck. */
  private get accountPsu(): PsuLogin {
    return this.psus[0]!;
  }

  private nextPaymentPsu(): PsuLogin {
    const psu = this.psus[1 + (this.paymentPsu % (this.psus.length - 1))]!;
    this.paymentPsu += 1;
    return psu;
  }

  async all(): Promise<ScriptResult[]> {
    this.total = this.options.apis.reduce((sum, api) => sum + this.manifests.scripts[api].length, 0);
    await this.discoverAccounts();
    for (const api of this.options.apis) {
      if (api === 'accounts') await this.accounts();
      else for (const script of this.manifests.scripts[api]) await this.runScript(api, script, (consentId) => this.paymentToken(api, script, consentId));
    }
    return this.results;
  }

  private async ccgToken(scope: string): Promise<string> {
    let token = this.ccgTokens.get(scope);
    if (!token) {
      token = await this.tpp.clientCredentialsToken(scope);
      this.ccgTokens.set(scope, token);
    }
    return token;
  }

  /** The PSU authorises a consent in the browser; the TPP redeems the code. */
  private async authorise(consentId: string, scope: string, psu: PsuLogin, accountIds: readonly string[] = []): Promise<string> {
    const { url, verifier, state } = await this.tpp.authorisationUrl(consentId, scope);
    const landed = await this.browser.authorise(url, REDIRECT_URI, psu, this.codes, accountIds);
    return this.tpp.redeem(landed, verifier, state);
  }

  private async accessConsent(permissions: readonly string[]): Promise<string> {
    const response = await this.tpp.request(`${CONFORMANCE_APIS.accounts.basePath}/account-access-consents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.ccgToken('accounts')}`, 'x-fapi-interaction-id': randomUUID() },
      body: JSON.stringify({ Data: { Permissions: permissions, ExpirationDateTime: isoSeconds(new Date(Date.now() + 24 * 3600 * 1000)) }, Risk: {} }),
    });
    if (response.status !== 201) throw new Error(`account-access consent answered ${response.status}: ${response.text}`);
    return (JSON.parse(response.text) as { Data: { ConsentId: string } }).Data.ConsentId;
  }

  /**
   * What the suite asks its user for: the account the PSU consents to (`$consentedAccountId`), the
   * CBPII debtor account, and the payment data. Read here through AIS as the sandbox PSU.
   */
  private async discoverAccounts(): Promise<void> {
    const consentId = await this.accessConsent(['ReadAccountsDetail']);
    const token = await this.authorise(consentId, 'accounts', this.accountPsu);
    const response = await this.tpp.request(`${CONFORMANCE_APIS.accounts.basePath}/accounts`, { headers: { authorization: `Bearer ${token}`, 'x-fapi-interaction-id': randomUUID() } });
    if (response.status !== 200) throw new Error(`GET /accounts for discovery answered ${response.status}: ${response.text}`);
    type ObAccount = { AccountId: string; Currency: string; Account?: Array<{ SchemeName: string; Identification: string; Name?: string }> };
    const accounts = (JSON.parse(response.text) as { Data: { Account: ObAccount[] } }).Data.Account;
    const account = accounts.find((a) => a.Currency === 'GBP' && a.Account?.some((id) => id.SchemeName === 'UK.OBIE.SortCodeAccountNumber')) ?? accounts[0];
    if (!account) throw new Error('the sandbox PSU has no account');
    const identification = account.Account?.find((id) => id.SchemeName === 'UK.OBIE.SortCodeAccountNumber') ?? account.Account?.[0];
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
    const defaults: Record<string, string> = {
      consentedAccountId: account.AccountId,
      instructedAmountCurrency: 'GBP',
      instructedAmountValue: '1.00',
      currencyOfTransfer: 'EUR',
      creditorScheme: 'UK.OBIE.SortCodeAccountNumber',
      creditorIdentification: '08080021325698',
      creditorName: 'ACME Inc',
      internationalCreditorScheme: 'UK.OBIE.IBAN',
      internationalCreditorIdentification: 'DE89370400440532013000',
      internationalCreditorName: 'ACME GmbH',
      transactionFromDate: isoSeconds(new Date()),
      transactionToDate: isoSeconds(new Date(Date.now() + 90 * 24 * 3600 * 1000)),
      firstPaymentDateTime: isoSeconds(tomorrow),
      requestedExecutionDateTime: isoSeconds(tomorrow),
      payment_frequency: 'EvryDay',
      frequency: 'EvryDay',
      payment_frequency_count_per_period: '1',
      payment_frequency_point_in_time: '00',
      cbpiiDebtorAccountSchemeName: identification?.SchemeName ?? 'UK.OBIE.SortCodeAccountNumber',
      cbpiiDebtorAccountIdentification: identification?.Identification ?? '',
      cbpiiDebtorAccountName: identification?.Name ?? this.accountPsu.name,
      client_access_token: await this.ccgToken('accounts'),
    };
    for (const [name, value] of Object.entries({ ...defaults, ...this.options.values })) this.context.set(name, value);
  }

  /** AIS: one consent per compatible permission set, each authorised by the PSU, then every script. */
  private async accounts(): Promise<void> {
    const scripts = this.manifests.scripts.accounts;
    const groups = groupAccessPermissions(scripts);
    const tokens = new Map<string, string>();
    for (const group of groups) {
      const consentId = await this.accessConsent(group.permissions);
      const token = await this.authorise(consentId, 'accounts', this.accountPsu, [String(this.context.get('consentedAccountId'))]);
      for (const id of group.scriptIds) tokens.set(id, token);
    }
    for (const script of scripts) await this.runScript('accounts', script, async () => tokens.get(script.id));
  }

  /** The token a payment, VRP or CBPII script acts with (token-route.ts says which kind). */
  private async paymentToken(api: ConformanceApi, script: ConformanceScript, consentId: string | undefined): Promise<string | undefined> {
    if (tokenRouteOf(api, script) === 'client-credentials') return this.ccgToken(api === 'cbpii' ? 'fundsconfirmations' : 'payments');
    return consentId === undefined ? undefined : this.consentTokens.get(consentId);
  }

  private record(result: ScriptResult): void {
    this.results.push(result);
    this.options.onProgress?.(this.results.length, this.total, result);
  }

  private async runScript(api: ConformanceApi, script: ConformanceScript, token: (consentId: string | undefined) => Promise<string | undefined>): Promise<void> {
    const started = Date.now();
    const base = { api, id: script.id, description: script.description, refURI: script.refURI };
    const skip = NOT_APPLICABLE[script.id];
    if (skip) {
      this.record({ ...base, request: `${script.method.toUpperCase()} ${script.uri}`, status: 'not-applicable', reason: skip, outcomes: [], durationMs: 0 });
      return;
    }
    const scope = new ScriptScope(script.parameters, (name) => this.context.get(name), this.manifests.bodies);
    let request = `${script.method.toUpperCase()} ${script.uri}`;
    try {
      const pathname = `${CONFORMANCE_APIS[api].basePath}${scope.text(script.uri)}`;
      const query = script.queryParameters ? `?${new URLSearchParams(Object.entries(script.queryParameters).map(([k, v]): [string, string] => [k, scope.text(v)])).toString()}` : '';
      request = `${script.method.toUpperCase()} ${pathname}${query}`;
      const consentId = script.parameters['consentId'] ? scope.text('$consentId') : undefined;
      const headers: Record<string, string> = { 'x-fapi-interaction-id': randomUUID() };
      if (api === 'accounts' && this.options.customerIpAddress !== undefined) headers['x-fapi-customer-ip-address'] = this.options.customerIpAddress;
      if (script.permissions?.length || api !== 'accounts') {
        const bearer = await token(consentId);
        if (bearer) headers['authorization'] = `Bearer ${bearer}`;
      }
      for (const [name, value] of Object.entries(script.headers ?? {})) headers[name.toLowerCase()] = scope.text(value);
      let body: string | undefined;
      if (script.body !== undefined) {
        body = JSON.stringify(scope.expand(script.body));
        headers['content-type'] ??= 'application/json';
        if (api !== 'accounts' && api !== 'cbpii') {
          headers['x-idempotency-key'] = randomUUID();
          headers['x-jws-signature'] = await this.tpp.detachedSignature(body, script.removeSignatureClaims ?? []);
        }
      }
      for (const name of script.removeHeaders ?? []) delete headers[name.toLowerCase()];
      const response = await this.tpp.request(`${pathname}${query}`, { method: script.method.toUpperCase(), headers, ...(body !== undefined ? { body } : {}) });
      const verdict = checkScript(script, this.manifests.assertions, response, (text) => scope.text(text));
      const outcomes = [...verdict.outcomes];
      if (script.schemaCheck && response.status < 500) {
        const problem = this.schemas.check(CONFORMANCE_APIS[api].spec, script.method, pathname, response);
        outcomes.push({ name: 'official schema', passed: problem === undefined, detail: problem ?? 'matches the official OpenAPI file' });
      }
      if (script.validateSignature && [200, 201].includes(response.status)) outcomes.push(await this.checkSignature(response));
      const passed = outcomes.every((o) => o.passed);
      if (passed) await this.keep(api, script, scope, response);
      const notImplemented = !passed && response.status === 404 && script.uriImplementation !== 'mandatory';
      this.record({
        ...base,
        request,
        status: passed ? 'passed' : notImplemented ? 'not-applicable' : 'failed',
        reason: passed
          ? 'all assertions hold'
          : notImplemented
            ? `${script.uriImplementation} endpoint the bank does not offer (404)`
            : `${outcomes.filter((o) => !o.passed).map((o) => `${o.name}: ${o.detail}`).join('; ')} — response: ${response.text.slice(0, 400)}`,
        outcomes,
        responseStatus: response.status,
        durationMs: Date.now() - started,
      });
    } catch (error) {
      const reason = error instanceof UnresolvedPlaceholder ? `cannot run: ${error.message} (an earlier script it depends on did not pass)` : `error: ${(error as Error).message}`;
      this.record({ ...base, request, status: 'failed', reason, outcomes: [], durationMs: Date.now() - started });
    }
  }

  /** What later scripts use: the kept value, the script's parameters, and a PSU's authorisation. */
  private async keep(api: ConformanceApi, script: ConformanceScript, scope: ScriptScope, response: WireResponse): Promise<void> {
    for (const [name, value] of Object.entries(scope.values())) if (!['postData', 'tokenRequestScope', 'requestConsent'].includes(name)) this.context.set(name, value);
    const body = (() => {
      try {
        return JSON.parse(response.text) as unknown;
      } catch {
        return undefined;
      }
    })();
    if (script.keepContextOnSuccess) {
      const value = jsonPath(body, script.keepContextOnSuccess.value);
      if (value !== undefined) this.context.set(script.keepContextOnSuccess.name, value as TemplateValue);
    }
    const consentId = jsonPath(body, 'Data.ConsentId');
    if (script.parameters['requestConsent'] === 'true' && typeof consentId === 'string') {
      const token = await this.authorise(consentId, api === 'cbpii' ? 'fundsconfirmations' : 'payments', api === 'cbpii' ? this.accountPsu : this.nextPaymentPsu());
      this.consentTokens.set(consentId, token);
    }
  }

  /** The bank's detached response signature (OB v4.0: x-jws-signature, a key at its jwks_uri). */
  private async checkSignature(response: WireResponse): Promise<AssertionOutcome> {
    const header = response.headers['x-jws-signature'];
    if (typeof header !== 'string') return { name: 'response signature', passed: false, detail: 'no x-jws-signature on the response' };
    const [protectedHeader, payload, signature] = header.split('.');
    if (payload !== '') return { name: 'response signature', passed: false, detail: 'the signature is not detached' };
    try {
      await flattenedVerify({ protected: protectedHeader!, payload: Buffer.from(response.text).toString('base64url'), signature: signature! }, createLocalJWKSet(this.bankJwks), {
        algorithms: ['PS256', 'ES256'],
        crit: { 'http://openbanking.org.uk/iat': true, 'http://openbanking.org.uk/iss': true, 'http://openbanking.org.uk/tan': true },
      });
      return { name: 'response signature', passed: true, detail: 'verified with a key of the bank’s jwks_uri' };
    } catch (error) {
      return { name: 'response signature', passed: false, detail: (error as Error).message };
    }
  }
}
