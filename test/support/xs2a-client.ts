import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import { signBgRequest } from './bg-http-signature.ts';
import type { HttpsResponse } from './https-client.ts';
import { PsuAgent } from './psu-agent.ts';
import type { TestPortico } from './start-test-portico.ts';
import { TppClient, type OnboardedTpp } from './tpp-client.ts';

export const XS2A = '/berlin-group/v1';
export const XS2A_REDIRECT_URI = 'https://tpp.example/xs2a/ok';
export const XS2A_NOK_REDIRECT_URI = 'https://tpp.example/xs2a/nok';

export interface SandboxPsu {
  username: string;
  password: string;
  totpSecret: string;
  market?: string;
  accounts: Array<{ accountId: string; currency: string; iban: string | null }>;
}

/** What a NextGenPSD2 TPP does: its QWAC on every call, X-Request-ID, optionally a signed request. */
export class Xs2aClient {
  constructor(
    readonly app: TestPortico,
    readonly tpp: OnboardedTpp,
  ) {}

  static async onboard(app: TestPortico, name: string, roles: string[] = ['AISP', 'PISP', 'CBPII']): Promise<Xs2aClient> {
    return new Xs2aClient(app, (await TppClient.onboard(app, name, roles)).tpp);
  }

  /**
   * A request over mTLS with the QWAC; `sign` adds Digest, Signature and TPP-Signature-Certificate with the QSealC.
   * `body` is sent as JSON, `xml` (a pain.001 document) as it is, `application/xml`.
   */
  request(path: string, options: { method?: string; body?: unknown; xml?: string; headers?: Record<string, string>; sign?: boolean; psuPresent?: boolean } = {}): Promise<HttpsResponse> {
    const body = options.xml ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const headers: Record<string, string> = {
      'x-request-id': randomUUID(),
      ...(body !== undefined ? { 'content-type': options.xml === undefined ? 'application/json' : 'application/xml' } : {}),
      ...(options.psuPresent ? { 'psu-ip-address': '192.0.2.10' } : {}),
      ...options.headers,
    };
    const method = options.method ?? (body === undefined ? 'GET' : 'POST');
    if (options.sign) {
      Object.assign(headers, signBgRequest({ method, url: path, headers, body: body ?? '', certificatePem: this.tpp.signing.certificatePem, privateKey: this.tpp.signing.privateKeyPem }));
    }
    return this.app.request(path, { method, headers, ...(body !== undefined ? { body } : {}), cert: this.tpp.transport.certificatePem, key: this.tpp.transport.privateKeyPem });
  }

  /** POST /v1/consents as the PSU starts it (PSU-IP-Address, redirect URIs). */
  createConsent(body: unknown, headers: Record<string, string> = {}, sign = false): Promise<HttpsResponse> {
    return this.request(`${XS2A}/consents`, { body, sign, psuPresent: true, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI, 'tpp-nok-redirect-uri': XS2A_NOK_REDIRECT_URI, ...headers } });
  }
}

/** A recurring consent for these IBANs' details, balances and transactions. */
export function detailedConsent(ibans: string[], overrides: Record<string, unknown> = {}) {
  const refs = ibans.map((iban) => ({ iban }));
  return { access: { accounts: refs, balances: refs, transactions: refs }, recurringIndicator: true, validUntil: '2099-12-31', frequencyPerDay: 4, combinedServiceIndicator: false, ...overrides };
}

/** The sandbox PSUs (GET /sandbox/v1/psus); EU PSUs first. */
export async function sandboxPsus(app: TestPortico): Promise<SandboxPsu[]> {
  const psus = (await app.request('/sandbox/v1/psus')).json<SandboxPsu[]>();
  return [...psus].sort((a, b) => Number(b.market === 'EU') - Number(a.market === 'EU'));
}

/**
 * Sandbox PSUs each with an account in `currency` known by IBAN, and that account. A one-time code
 * is accepted once, so tests that authenticate several times within 30 seconds take a PSU each.
 */
export async function psusWithIban(app: TestPortico, currency = 'EUR'): Promise<Array<{ psu: SandboxPsu; iban: string; accountId: string }>> {
  const found = [];
  for (const psu of await sandboxPsus(app)) {
    const account = psu.accounts.find((a) => a.iban && a.currency === currency);
    if (account) found.push({ psu, iban: account.iban!, accountId: account.accountId });
  }
  if (found.length === 0) throw new Error(`no sandbox PSU with a ${currency} account known by IBAN`);
  return found;
}

const STEP_MS = 30_000;
/** Time a code may take from being generated here to being checked by the bank on a loaded machine. */
const IN_FLIGHT_MS = 5_000;

/**
 * The time steps whose code the bank accepts now, in the order to use them: the current step, the
 * next (clock drift), and the one before only while the current step has more than
 * `IN_FLIGHT_MS` to run: a code of the previous step sent at a step's end reaches the bank when
 * the step has moved on and that code is no longer accepted.
 */
function acceptedSteps(now = Date.now()): number[] {
  const current = Math.floor(now / STEP_MS);
  const previousStillAccepted = now + IN_FLIGHT_MS < (current + 1) * STEP_MS;
  return previousStillAccepted ? [current, current + 1, current - 1] : [current, current + 1];
}

/**
 * The PSU of `psus` that has used the fewest one-time codes around now, across every suite of
 * this process (suites of both databases share the sandbox's PSUs and their code steps).
 */
export function leastUsedPsu<T extends { psu: SandboxPsu }>(psus: readonly T[]): T {
  const usedAround = (secret: string) => acceptedSteps().filter((step) => usedSteps.get(secret)?.has(step)).length;
  return [...psus].sort((a, b) => usedAround(a.psu.totpSecret) - usedAround(b.psu.totpSecret))[0]!;
}
const usedSteps = new Map<string, Set<number>>();

/** Records that the code of `at`'s time step was used (by a flow that generated it itself). */
export function noteCodeUsed(totpSecret: string, at = new Date()): void {
  const used = usedSteps.get(totpSecret) ?? new Set<number>();
  used.add(Math.floor(at.getTime() / STEP_MS));
  usedSteps.set(totpSecret, used);
}

/**
 * A one-time code the bank will accept now that this process has not used yet: each time step's
 * code is accepted once, and the step before and after the current one are accepted too (clock
 * drift), so up to three authentications of one PSU fit in one step; a fourth waits for the next.
 */
export async function unusedOneTimeCode(totpSecret: string): Promise<string> {
  await untilOneTimeCodeUnused(totpSecret);
  const step = acceptedSteps().find((candidate) => !usedSteps.get(totpSecret)?.has(candidate))!;
  noteCodeUsed(totpSecret, new Date(step * STEP_MS));
  return generateTotp(totpSecret, new Date(step * STEP_MS + STEP_MS / 2));
}

/**
 * Waits (at most a time step) until `unusedOneTimeCode` has a code for this PSU: for a flow that
 * must authenticate the same PSU again (cancelling a payment they authorised).
 */
export async function untilOneTimeCodeUnused(totpSecret: string): Promise<void> {
  for (;;) {
    if (acceptedSteps().some((step) => !usedSteps.get(totpSecret)?.has(step))) return;
    await new Promise((resolve) => setTimeout(resolve, (Math.floor(Date.now() / STEP_MS) + 1) * STEP_MS - Date.now() + 50));
  }
}

/**
 * The PSU completes the redirect SCA over HTTP at `scaRedirect`: password, one-time code (on the
 * payment screen for payments), accounts, decision. Returns where the browser was sent back to.
 */
export async function psuCompletesSca(app: TestPortico, scaRedirect: string, psu: SandboxPsu, options: { decision?: 'approve' | 'deny'; accountIds?: string[] } = {}): Promise<string> {
  const agent = new PsuAgent(app);
  const login = await agent.go(scaRedirect);
  assert.equal(login.status, 200, login.text.slice(0, 300));
  const afterLogin = await agent.go(`${scaRedirect}/login`, { username: psu.username, password: psu.password });
  const otp = await unusedOneTimeCode(psu.totpSecret);
  const binding = /name="binding" value="([^"]+)"/.exec(afterLogin.text)?.[1];
  const consentScreen = binding ? afterLogin : await agent.go(`${scaRedirect}/otp`, { otp });
  const accounts = options.accountIds ?? [...consentScreen.text.matchAll(/name="accounts" value="([^"]+)"[^>]*checked/g)].map((m) => m[1]!);
  const form = new URLSearchParams({ decision: options.decision ?? 'approve', ...(binding ? { binding, otp } : {}) });
  for (const account of accounts) form.append('accounts', account);
  await agent.go(`${scaRedirect}/consent`, form);
  return agent.location;
}
