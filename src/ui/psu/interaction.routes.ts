import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Db } from '../../platform/db/index.ts';
import type { Cache } from '../../platform/cache/index.ts';
import { isAppError, type AppError } from '../../platform/errors/index.ts';
import { formatAmount, type CoreBanking } from '../../core/index.ts';
import {
  authenticatePassword,
  findPsu,
  finishPasskeyAuthentication,
  listPasskeys,
  LoginThrottled,
  PsuIdentityErrors,
  startPasskeyAuthentication,
  verifyOneTimeCode,
  type LoginGuard,
  type RelyingParty,
} from '../../modules/psu-identity/index.ts';
import { approveConsent, denyConsent, describeConsentForPsu, oauthErrorFor, PsuAuthorisationErrors, type AuthorisationRequest } from '../../modules/psu-authorisation/index.ts';
import { scaBindingOf } from '../../modules/consents/index.ts';
import { tppNamesOf } from './tpp-names.ts';
import { loginPage, oneTimeCodePage } from './login-pages.ts';
import { consentPage } from './consent-page.ts';
import { sessionExpiredPage } from './error-page.ts';
import { intentOf } from './intent-of.ts';
import { PSU_PAGE_CSP } from './layout.ts';
import { sendPage, sendThrottledPage } from './send-page.ts';
import { paymentScheduleText } from './payment-schedule-text.ts';
import { recurringPaymentSummaryOf } from './recurring-payment-summary.ts';
import { accountDescription } from './account-texts.ts';

export interface PsuInteractionOptions {
  readonly provider: Provider;
  readonly db: Db;
  readonly cache: Cache;
  /** Throttles password and one-time code attempts per source (request.ip) and bounds hashing. */
  readonly loginGuard: LoginGuard;
  readonly core: CoreBanking;
  readonly relyingParty: RelyingParty;
}

export const PSU_INTERACTION_PREFIX = '/psu/interaction';
const PENDING_TTL_SECONDS = 10 * 60;
const pendingKey = (uid: string) => `psu-interaction:${uid}:psu`;

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;
interface Form {
  username?: string;
  password?: string;
  otp?: string;
  cancel?: string;
  decision?: string;
  accounts?: string | string[];
  binding?: string;
}

/**
 * The PSU side of an authorisation (DESIGN.md §3 labels): username and password, then the
 * one-time code, then the consent screen — each a plain form post that works without JavaScript.
 * For payments the one-time code is entered on the screen that shows amount and payee (dynamic
 * linking). Deny, cancel and every failure after the request was verified go back to the TPP's
 * redirect URI with an OAuth error and its `state`, through oidc-provider.
 */
export async function psuInteractionRoutes(app: FastifyInstance, options: PsuInteractionOptions): Promise<void> {
  const { provider, db, cache, loginGuard, core, relyingParty } = options;
  const stylesheet = await fs.readFile(path.join(import.meta.dirname, 'assets', 'portico.css'));
  app.get('/psu/assets/portico.css', async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(stylesheet));

  const details = async (request: FastifyRequest, reply: FastifyReply): Promise<Details | undefined> => {
    try {
      const found = await provider.interactionDetails(request.raw, reply.raw);
      return found.uid === (request.params as { uid: string }).uid ? found : undefined;
    } catch {
      return undefined;
    }
  };
  const finish = async (request: FastifyRequest, reply: FastifyReply, result: Parameters<Provider['interactionFinished']>[2], merge = false) => {
    reply.hijack();
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
    try {
      await provider.interactionFinished(request.raw, reply.raw, result, { mergeWithLastSubmission: merge });
    } catch (error) {
      request.log.error({ err: error }, 'could not hand the authorisation back to the authorisation server');
      if (!reply.raw.headersSent) reply.raw.writeHead(400, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PSU_PAGE_CSP });
      reply.raw.end(sessionExpiredPage());
    }
  };
  const fail = (request: FastifyRequest, reply: FastifyReply, error: AppError | { code: string; message: string }) =>
    finish(request, reply, { error: oauthErrorFor(error.code), error_description: error.message });
  const authorisationRequest = (d: Details): AuthorisationRequest => ({
    consentId: intentOf(d.params['claims']),
    clientId: String(d.params['client_id']),
    scopes: new Set(String(d.params['scope'] ?? '').split(' ').filter(Boolean)),
  });
  const action = (uid: string, step: string) => `${PSU_INTERACTION_PREFIX}/${uid}/${step}`;

  const renderConsent = async (reply: FastifyReply, d: Details, psuId: string, error?: string, status?: number) => {
    const psu = await findPsu(db, psuId);
    if (!psu) throw new Error('authorisation session names an unknown PSU');
    const { consent, eligibleAccounts } = await describeConsentForPsu(db, core, authorisationRequest(d), psu.partyId);
    const { legalName, clientName } = await tppNamesOf(provider, db, String(d.params['client_id']));
    const payment = consent.payment;
    return sendPage(
      reply,
      consentPage({
        action: action(d.uid, 'consent'),
        tppLegalName: legalName,
        clientName,
        permissions: consent.permissions,
        expiresAt: consent.expiresAt,
        transactionFrom: consent.transactionFrom,
        transactionTo: consent.transactionTo,
        accounts: eligibleAccounts.map((a) => ({ id: a.id, displayName: a.nickname ?? a.name, description: accountDescription(a), preselected: eligibleAccounts.length === 1 })),
        payment: payment ? {
          amount: formatAmount(payment.amountMinor, payment.currency),
          currency: payment.currency,
          payee: payment.creditorName,
          payeeAccount: payment.creditorIdentification,
          payeeScheme: payment.creditorScheme,
          reference: payment.reference ?? undefined,
          when: payment.schedule ? paymentScheduleText(payment.schedule) : undefined,
        } : undefined,
        recurring: recurringPaymentSummaryOf(consent),
        // A file payment: the whole file is authorised at once (its total, its number of payments).
        paymentFile: payment?.file
          ? {
              numberOfPayments: payment.file.numberOfTransactions,
              total: formatAmount(payment.amountMinor, payment.currency),
              currency: payment.currency,
              reference: payment.reference ?? undefined,
              debtor: payment.debtorAccountId ? eligibleAccounts.find((a) => a.id === payment.debtorAccountId)?.name : undefined,
            }
          : undefined,
        binding: payment ? scaBindingOf(consent.id, payment) : undefined,
        fundsConfirmation: consent.kind === 'funds-confirmation',
        error,
      }),
      status,
    );
  };

  app.get<{ Params: { uid: string } }>(`${PSU_INTERACTION_PREFIX}/:uid`, async (request, reply) => {
    const d = await details(request, reply);
    if (!d) return sendPage(reply, sessionExpiredPage(), 400);
    if (d.prompt.name === 'login') {
      const pending = await cache.get(pendingKey(d.uid));
      const clientName = (await provider.Client.find(String(d.params['client_id'])))?.clientName ?? 'Your provider';
      if (!pending) return sendPage(reply, loginPage({ action: action(d.uid, 'login'), clientName }));
      const passkeys = await listPasskeys(db, pending);
      return sendPage(reply, oneTimeCodePage({ action: action(d.uid, 'otp'), passkeyEndpoint: passkeys.length > 0 ? action(d.uid, 'passkey') : undefined }));
    }
    try {
      return await renderConsent(reply, d, String(d.session?.accountId));
    } catch (error) {
      if (isAppError(error)) return fail(request, reply, error);
      throw error;
    }
  });

  app.post<{ Params: { uid: string }; Body: Form }>(`${PSU_INTERACTION_PREFIX}/:uid/login`, async (request, reply) => {
    const d = await details(request, reply);
    if (!d || d.prompt.name !== 'login') return sendPage(reply, sessionExpiredPage(), 400);
    if (request.body.cancel) return fail(request, reply, { code: PsuAuthorisationErrors.DENIED.code, message: 'The PSU cancelled the request' });
    const clientName = (await provider.Client.find(String(d.params['client_id'])))?.clientName ?? 'Your provider';
    try {
      const psu = await authenticatePassword(db, loginGuard, { username: String(request.body.username ?? ''), password: String(request.body.password ?? '') }, { source: request.ip });
      // Payments take the one-time code on the screen showing amount and payee (dynamic linking).
      const consentId = intentOf(d.params['claims']);
      const consent = consentId ? await describeConsentForPsu(db, core, authorisationRequest(d), psu.partyId).then((c) => c.consent, () => undefined) : undefined;
      if (consent?.payment) {
        // SCA completes on the next screen, before any code is issued: the consent cannot be
        // approved without the one-time code bound to amount and payee.
        return finish(request, reply, { login: { accountId: psu.psuId, acr: 'urn:openbanking:psd2:sca', amr: ['pwd', 'otp'], remember: false } });
      }
      await cache.set(pendingKey(d.uid), psu.psuId, PENDING_TTL_SECONDS);
      return reply.redirect(`${PSU_INTERACTION_PREFIX}/${d.uid}`, 303);
    } catch (error) {
      if (error instanceof LoginThrottled) return sendThrottledPage(reply, loginPage({ action: action(d.uid, 'login'), clientName, error: error.message, username: request.body.username }), error);
      if (isAppError(error) && error.code === PsuIdentityErrors.INVALID_CREDENTIALS.code) {
        return sendPage(reply, loginPage({ action: action(d.uid, 'login'), clientName, error: error.message, username: request.body.username }));
      }
      if (isAppError(error)) return fail(request, reply, error);
      throw error;
    }
  });

  app.post<{ Params: { uid: string }; Body: Form }>(`${PSU_INTERACTION_PREFIX}/:uid/otp`, async (request, reply) => {
    const d = await details(request, reply);
    const psuId = d && (await cache.get(pendingKey(d.uid)));
    if (!d || d.prompt.name !== 'login' || !psuId) return sendPage(reply, sessionExpiredPage(), 400);
    if (request.body.cancel) return fail(request, reply, { code: PsuAuthorisationErrors.DENIED.code, message: 'The PSU cancelled the request' });
    try {
      await verifyOneTimeCode(db, loginGuard, psuId, String(request.body.otp ?? ''), { source: request.ip });
    } catch (error) {
      if (error instanceof LoginThrottled) return sendThrottledPage(reply, oneTimeCodePage({ action: action(d.uid, 'otp'), error: error.message }), error);
      if (isAppError(error) && error.code === PsuIdentityErrors.INVALID_ONE_TIME_CODE.code) {
        return sendPage(reply, oneTimeCodePage({ action: action(d.uid, 'otp'), error: error.message }));
      }
      if (isAppError(error)) return fail(request, reply, error);
      throw error;
    }
    await cache.del(pendingKey(d.uid));
    return finish(request, reply, { login: { accountId: psuId, acr: 'urn:openbanking:psd2:sca', amr: ['pwd', 'otp'], remember: false } });
  });

  // The second factor by passkey instead of the one-time code (script-driven; JSON in and out).
  app.post<{ Params: { uid: string } }>(`${PSU_INTERACTION_PREFIX}/:uid/passkey/options`, async (request, reply) => {
    const d = await details(request, reply);
    const psuId = d && (await cache.get(pendingKey(d.uid)));
    if (!d || d.prompt.name !== 'login' || !psuId) return reply.status(400).send({ message: 'This request has expired' });
    return startPasskeyAuthentication(db, cache, psuId, relyingParty, d.uid);
  });

  app.post<{ Params: { uid: string } }>(`${PSU_INTERACTION_PREFIX}/:uid/passkey`, async (request, reply) => {
    const d = await details(request, reply);
    const psuId = d && (await cache.get(pendingKey(d.uid)));
    if (!d || d.prompt.name !== 'login' || !psuId) return reply.status(400).send({ message: 'This request has expired' });
    try {
      await finishPasskeyAuthentication(db, cache, psuId, request.body as never, relyingParty, d.uid);
    } catch (error) {
      if (isAppError(error)) return reply.status(401).send({ message: error.message });
      throw error;
    }
    await cache.del(pendingKey(d.uid));
    const location = await provider.interactionResult(request.raw, reply.raw, {
      login: { accountId: psuId, acr: 'urn:openbanking:psd2:sca', amr: ['pwd', 'hwk', 'user'], remember: false },
    }, { mergeWithLastSubmission: false });
    return reply.send({ location });
  });

  app.post<{ Params: { uid: string }; Body: Form }>(`${PSU_INTERACTION_PREFIX}/:uid/consent`, async (request, reply) => {
    const d = await details(request, reply);
    if (!d || d.prompt.name !== 'consent' || !d.session?.accountId) return sendPage(reply, sessionExpiredPage(), 400);
    const psu = await findPsu(db, d.session.accountId);
    if (!psu) return sendPage(reply, sessionExpiredPage(), 400);
    const authorisation = authorisationRequest(d);
    try {
      if (request.body.decision !== 'approve') {
        await denyConsent(db, core, authorisation, psu.partyId);
        return await fail(request, reply, { code: PsuAuthorisationErrors.DENIED.code, message: PsuAuthorisationErrors.DENIED.message });
      }
      const accounts = request.body.accounts;
      await approveConsent(
        db,
        loginGuard,
        core,
        authorisation,
        { psuId: psu.psuId, partyId: psu.partyId, accountIds: accounts === undefined ? [] : Array.isArray(accounts) ? accounts : [accounts], oneTimeCode: request.body.otp, shownBinding: request.body.binding, source: request.ip },
        async () => {
          const grant = d.grantId ? await provider.Grant.find(d.grantId) : new provider.Grant({ accountId: psu.psuId, clientId: authorisation.clientId });
          if (!grant) throw new Error('grant of the authorisation session is gone');
          grant.addOIDCScope([...authorisation.scopes].join(' '));
          grant.addOIDCClaims(['openbanking_intent_id']);
          return grant.save();
        },
      ).then(async (consent) => finish(request, reply, { consent: { grantId: consent.grantId! } }, true));
      return reply;
    } catch (error) {
      if (error instanceof LoginThrottled) return renderConsent(reply.header('retry-after', String(error.retryAfterSeconds)), d, psu.psuId, error.message, 429);
      if (isAppError(error) && [PsuIdentityErrors.INVALID_ONE_TIME_CODE.code, PsuAuthorisationErrors.ACCOUNTS_REQUIRED.code].includes(error.code)) {
        return renderConsent(reply, d, psu.psuId, error.message);
      }
      if (isAppError(error)) return fail(request, reply, error);
      throw error;
    }
  });
}
