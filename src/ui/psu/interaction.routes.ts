import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import { isAppError, type AppError } from '../../platform/errors/index.ts';
import { LoginThrottled, PsuIdentityErrors } from '../../modules/psu-identity/index.ts';
import { oauthErrorFor, PsuAuthorisationErrors, type AuthorisationRequest, type ConsentForPsu } from '../../modules/psu-authorisation/index.ts';
import { tppNamesOf } from './tpp-names.ts';
import { loginPage, oneTimeCodePage } from './login-pages.ts';
import { consentPage } from './consent-page.ts';
import { consentPageModel } from './consent-page-model.ts';
import { sessionExpiredPage } from './error-page.ts';
import { intentOf } from './intent-of.ts';
import { PSU_PAGE_CSP } from './layout.ts';
import { sendPage, sendThrottledPage } from './send-page.ts';
import { clearPendingAuthentication, loadPendingAuthentication, savePendingAuthentication, scaLogin, type PendingAuthentication } from './pending-authentication.ts';
import type { PsuPagesOptions } from './psu-pages-options.ts';
import type { PsuForm } from './psu-form.ts';

export const PSU_INTERACTION_PREFIX = '/psu/interaction';

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * The PSU side of an authorisation (DESIGN.md §3 labels): username and password, then the
 * one-time code (or a passkey), then the consent screen — each a plain form post that works
 * without JavaScript. For payments the one-time code is entered on the screen that shows amount
 * and payee (dynamic linking). Every authorisation request is its own SCA: what the PSU proved
 * is kept with this request only, and the login goes to the authorisation server together with
 * the consent decision, once both factors were verified. Deny, cancel and every failure after
 * the request was verified go back to the TPP's redirect URI with an OAuth error and its
 * `state`, through oidc-provider.
 */
export async function psuInteractionRoutes(app: FastifyInstance, options: PsuPagesOptions): Promise<void> {
  const { provider, pageState: cache, psuIdentity, psuAuthorisation, organisationLegalName } = options;
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
  const finish = async (request: FastifyRequest, reply: FastifyReply, result: Parameters<Provider['interactionFinished']>[2]) => {
    reply.hijack();
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
    try {
      await provider.interactionFinished(request.raw, reply.raw, result, { mergeWithLastSubmission: false });
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

  const renderConsent = async (reply: FastifyReply, d: Details, described: ConsentForPsu, options: { error?: string | undefined; chosen?: readonly string[]; status?: number } = {}) => {
    const names = await tppNamesOf(provider, organisationLegalName, String(d.params['client_id']));
    return sendPage(reply, consentPage(consentPageModel(described, { action: action(d.uid, 'consent'), ...names, error: options.error, chosen: options.chosen })), options.status);
  };

  /**
   * Where this request stands once the password is verified: the PSU and the consent as they may
   * see it. Payments take the second factor on the consent screen (dynamic linking, PSD2 RTS
   * Art. 5); every other consent needs it before the consent screen is shown.
   */
  const afterPassword = async (d: Details, pending: PendingAuthentication) => {
    const psu = await psuIdentity.findPsu(pending.psuId);
    if (!psu) throw new Error('authorisation session names an unknown PSU');
    const described = await psuAuthorisation.describeConsentForPsu(authorisationRequest(d), psu.partyId);
    const secondFactorDue = !described.consent.payment && !pending.secondFactor;
    return { psu, described, secondFactorDue };
  };
  const secondFactorPage = async (reply: FastifyReply, d: Details, psuId: string, error?: string, throttled?: LoginThrottled) => {
    const passkeys = await psuIdentity.listPasskeys(psuId);
    const page = oneTimeCodePage({ action: action(d.uid, 'otp'), passkeyEndpoint: passkeys.length > 0 ? action(d.uid, 'passkey') : undefined, error });
    return throttled ? sendThrottledPage(reply, page, throttled) : sendPage(reply, page);
  };
  const journeyError = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    if (isAppError(error)) return fail(request, reply, error);
    throw error;
  };
  const here = (uid: string) => `${PSU_INTERACTION_PREFIX}/${uid}`;

  // Every step happens while the authorisation server still waits at its login prompt: nothing is
  // recorded as a login until both factors were verified for this request (see `scaLogin`).
  app.get<{ Params: { uid: string } }>(`${PSU_INTERACTION_PREFIX}/:uid`, async (request, reply) => {
    const d = await details(request, reply);
    if (!d || d.prompt.name !== 'login') return sendPage(reply, sessionExpiredPage(), 400);
    const pending = await loadPendingAuthentication(cache, d.uid);
    if (!pending) {
      // A request that cannot succeed (unknown, expired or used consent) goes back to the TPP
      // before the PSU types anything.
      try {
        await psuAuthorisation.findAuthorisableConsent(authorisationRequest(d));
      } catch (error) {
        return journeyError(request, reply, error);
      }
      const clientName = (await provider.Client.find(String(d.params['client_id'])))?.clientName ?? 'Your provider';
      return sendPage(reply, loginPage({ action: action(d.uid, 'login'), clientName }));
    }
    try {
      const { described, secondFactorDue } = await afterPassword(d, pending);
      if (secondFactorDue) return await secondFactorPage(reply, d, pending.psuId);
      return await renderConsent(reply, d, described);
    } catch (error) {
      return journeyError(request, reply, error);
    }
  });

  app.post<{ Params: { uid: string }; Body: PsuForm }>(`${PSU_INTERACTION_PREFIX}/:uid/login`, async (request, reply) => {
    const d = await details(request, reply);
    if (!d || d.prompt.name !== 'login') return sendPage(reply, sessionExpiredPage(), 400);
    if (request.body.cancel) return fail(request, reply, { code: PsuAuthorisationErrors.DENIED.code, message: 'The PSU cancelled the request' });
    const clientName = (await provider.Client.find(String(d.params['client_id'])))?.clientName ?? 'Your provider';
    try {
      const psu = await psuIdentity.authenticatePassword({ username: String(request.body.username ?? ''), password: String(request.body.password ?? '') }, { source: request.ip });
      // The first factor only: the second is still due, for this request alone.
      await savePendingAuthentication(cache, d.uid, { psuId: psu.psuId });
      return reply.redirect(here(d.uid), 303);
    } catch (error) {
      if (error instanceof LoginThrottled) return sendThrottledPage(reply, loginPage({ action: action(d.uid, 'login'), clientName, error: error.message, username: request.body.username }), error);
      if (isAppError(error) && error.code === PsuIdentityErrors.INVALID_CREDENTIALS.code) {
        return sendPage(reply, loginPage({ action: action(d.uid, 'login'), clientName, error: error.message, username: request.body.username }));
      }
      return journeyError(request, reply, error);
    }
  });

  app.post<{ Params: { uid: string }; Body: PsuForm }>(`${PSU_INTERACTION_PREFIX}/:uid/otp`, async (request, reply) => {
    const d = await details(request, reply);
    const pending = d && (await loadPendingAuthentication(cache, d.uid));
    if (!d || d.prompt.name !== 'login' || !pending) return sendPage(reply, sessionExpiredPage(), 400);
    if (request.body.cancel) return fail(request, reply, { code: PsuAuthorisationErrors.DENIED.code, message: 'The PSU cancelled the request' });
    try {
      // A payment's code belongs on the screen showing amount and payee, nowhere else.
      if (!(await afterPassword(d, pending)).secondFactorDue) return reply.redirect(here(d.uid), 303);
      await psuIdentity.verifyOneTimeCode(pending.psuId, String(request.body.otp ?? ''), { source: request.ip });
    } catch (error) {
      if (error instanceof LoginThrottled) return secondFactorPage(reply, d, pending.psuId, error.message, error);
      if (isAppError(error) && error.code === PsuIdentityErrors.INVALID_ONE_TIME_CODE.code) return secondFactorPage(reply, d, pending.psuId, error.message);
      return journeyError(request, reply, error);
    }
    await savePendingAuthentication(cache, d.uid, { psuId: pending.psuId, secondFactor: 'otp' });
    return reply.redirect(here(d.uid), 303);
  });

  // The second factor by passkey instead of the one-time code (script-driven; JSON in and out).
  // Like the code, it counts for this request only, and not for payments (dynamic linking).
  const passkeyDue = async (d: Details | undefined) => {
    const pending = d && d.prompt.name === 'login' ? await loadPendingAuthentication(cache, d.uid) : undefined;
    if (!d || !pending) return undefined;
    try {
      return (await afterPassword(d, pending)).secondFactorDue ? pending : undefined;
    } catch (error) {
      if (isAppError(error)) return undefined;
      throw error;
    }
  };
  app.post<{ Params: { uid: string } }>(`${PSU_INTERACTION_PREFIX}/:uid/passkey/options`, async (request, reply) => {
    const d = await details(request, reply);
    const pending = await passkeyDue(d);
    if (!d || !pending) return reply.status(400).send({ message: 'This request has expired' });
    return psuIdentity.startPasskeyAuthentication(pending.psuId, d.uid);
  });

  app.post<{ Params: { uid: string } }>(`${PSU_INTERACTION_PREFIX}/:uid/passkey`, async (request, reply) => {
    const d = await details(request, reply);
    const pending = await passkeyDue(d);
    if (!d || !pending) return reply.status(400).send({ message: 'This request has expired' });
    try {
      await psuIdentity.finishPasskeyAuthentication(pending.psuId, request.body as never, d.uid);
    } catch (error) {
      if (isAppError(error)) return reply.status(401).send({ message: error.message });
      throw error;
    }
    await savePendingAuthentication(cache, d.uid, { psuId: pending.psuId, secondFactor: 'passkey' });
    return reply.send({ location: here(d.uid) });
  });

  app.post<{ Params: { uid: string }; Body: PsuForm }>(`${PSU_INTERACTION_PREFIX}/:uid/consent`, async (request, reply) => {
    const d = await details(request, reply);
    const pending = d && (await loadPendingAuthentication(cache, d.uid));
    if (!d || d.prompt.name !== 'login' || !pending) return sendPage(reply, sessionExpiredPage(), 400);
    const authorisation = authorisationRequest(d);
    const accounts = request.body.accounts;
    const chosen = accounts === undefined ? [] : Array.isArray(accounts) ? accounts : [accounts];
    let described: ConsentForPsu | undefined;
    try {
      const step = await afterPassword(d, pending);
      described = step.described;
      // No decision on a consent whose screen the PSU could not have been shown yet.
      if (step.secondFactorDue) return reply.redirect(here(d.uid), 303);
      const { psu } = step;
      if (request.body.decision !== 'approve') {
        await psuAuthorisation.denyConsent(authorisation, psu.partyId);
        await clearPendingAuthentication(cache, d.uid);
        return await fail(request, reply, { code: PsuAuthorisationErrors.DENIED.code, message: PsuAuthorisationErrors.DENIED.message });
      }
      const payment = described.consent.payment !== null;
      const consent = await psuAuthorisation.approveConsent(
        authorisation,
        { psuId: psu.psuId, partyId: psu.partyId, accountIds: chosen, oneTimeCode: payment ? request.body.otp : undefined, shownBinding: request.body.binding, source: request.ip },
        // Each consent its own grant: a grant from an earlier authorisation never covers this one.
        async () => {
          const grant = new provider.Grant({ accountId: psu.psuId, clientId: authorisation.clientId });
          grant.addOIDCScope([...authorisation.scopes].join(' '));
          grant.addOIDCClaims(['openbanking_intent_id']);
          return grant.save();
        },
      );
      await clearPendingAuthentication(cache, d.uid);
      // SCA is complete only now (for a payment, the code bound to amount and payee was just
      // verified): login and consent are handed to the authorisation server together.
      return await finish(request, reply, { login: scaLogin(psu.psuId, payment ? 'otp' : pending.secondFactor!), consent: { grantId: consent.grantId! } });
    } catch (error) {
      if (described && error instanceof LoginThrottled) {
        return renderConsent(reply.header('retry-after', String(error.retryAfterSeconds)), d, described, { error: error.message, chosen, status: 429 });
      }
      if (described && isAppError(error) && [PsuIdentityErrors.INVALID_ONE_TIME_CODE.code, PsuAuthorisationErrors.ACCOUNTS_REQUIRED.code].includes(error.code)) {
        return renderConsent(reply, d, described, { error: error.message, chosen });
      }
      return journeyError(request, reply, error);
    }
  });
}
