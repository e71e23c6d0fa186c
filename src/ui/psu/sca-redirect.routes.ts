import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../platform/errors/index.ts';
import { LoginThrottled, PsuIdentityErrors } from '../../modules/psu-identity/index.ts';
import { PsuAuthorisationErrors, type AuthorisationRequest, type ConsentForPsu, type ScaAuthorisation } from '../../modules/psu-authorisation/index.ts';
import { cancellationPage } from './cancellation-page.ts';
import { consentPage } from './consent-page.ts';
import { consentPageModel } from './consent-page-model.ts';
import { sessionExpiredPage } from './error-page.ts';
import { signingBasketPage } from './signing-basket-page.ts';
import { loginPage, oneTimeCodePage } from './login-pages.ts';
import { clearPendingAuthentication, loadPendingAuthentication, savePendingAuthentication, type PendingAuthentication } from './pending-authentication.ts';
import type { PsuPagesOptions } from './psu-pages-options.ts';
import { sendPage, sendThrottledPage } from './send-page.ts';
import { tppNamesOf } from './tpp-names.ts';
import type { PsuForm } from './psu-form.ts';

export const SCA_REDIRECT_PREFIX = '/psu/authorisations';
/** No OAuth scope limits what an SCA authorises: the SCA itself names its consent. */
const ALL_SCOPES: ReadonlySet<string> = new Set(['accounts', 'payments', 'fundsconfirmations']);

/**
 * The redirect approach of a standard whose TPP starts SCA itself (Berlin Group): the TPP sends
 * the PSU to `/psu/authorisations/{id}`, where the same steps as every other authorisation run —
 * password, one-time code (on the payment screen itself for payments: dynamic linking), accounts
 * and decision — each a plain form post. What the PSU proved counts for this SCA only. The browser
 * goes back to the TPP's redirect URI when the consent is authorised, and to its "nok" URI when
 * the PSU denies or cancels or the consent cannot be authorised; each step is recorded on the SCA,
 * whose status the TPP reads.
 *
 * An SCA of purpose `cancel` (the TPP asks to cancel a payment the PSU authorised) runs the same
 * password and one-time code steps, then shows the payment to stop; only the PSU who authorised the
 * payment gets that far, and their approval finalises the SCA and stops the payment together
 * (`confirmCancellation`). Denying, or anything failing, leaves the payment as it is.
 *
 * An SCA of purpose `authorise-basket` (a signing basket) runs the password step, then one screen
 * showing every payment and consent of the basket with the one-time code field (dynamic linking
 * over all of them); approval authorises every member in one transaction
 * (`approveSigningBasket`). A member of another PSU's, or one authorised or cancelled meanwhile,
 * sends the browser to the "nok" URI with nothing authorised.
 */
export async function scaRedirectRoutes(app: FastifyInstance, options: PsuPagesOptions): Promise<void> {
  const { pageState: cache, psuIdentity, psuAuthorisation, provider, organisationLegalName } = options;
  const here = (id: string) => `${SCA_REDIRECT_PREFIX}/${encodeURIComponent(id)}`;
  const action = (id: string, step: string) => `${here(id)}/${step}`;
  const pendingKey = (sca: ScaAuthorisation) => `sca:${sca.id}`;

  const open = async (request: FastifyRequest<{ Params: { id: string } }>) => {
    try {
      return await psuAuthorisation.openSca(request.params.id);
    } catch (error) {
      if (isAppError(error)) return undefined;
      throw error;
    }
  };
  const authorisationRequest = (sca: ScaAuthorisation): AuthorisationRequest => ({
    consentId: sca.consentId,
    clientId: sca.clientId,
    scopes: ALL_SCOPES,
  });
  /** The journey ends without a consent: recorded on the SCA, the browser back to the TPP's "nok" URI. */
  const failed = async (reply: FastifyReply, sca: ScaAuthorisation, psuId: string | null) => {
    await psuAuthorisation.advanceSca(sca.id, 'failed', psuId).catch(() => undefined);
    await clearPendingAuthentication(cache, pendingKey(sca));
    const back = sca.nokRedirectUri ?? sca.redirectUri;
    return back ? reply.redirect(back, 303) : sendPage(reply, sessionExpiredPage(), 400);
  };
  const describe = async (sca: ScaAuthorisation, pending: PendingAuthentication) => {
    const psu = await psuIdentity.findPsu(pending.psuId);
    if (!psu) throw new Error('an SCA names an unknown PSU');
    const described = await psuAuthorisation.describeConsentForPsu(authorisationRequest(sca), psu.partyId);
    return { psu, described, secondFactorDue: !described.consent.payment && !pending.secondFactor };
  };
  /** A cancellation: the payment this PSU authorised (else CONSENT_UNKNOWN); both factors come before it is shown. */
  const describeCancellation = async (sca: ScaAuthorisation, pending: PendingAuthentication) => ({
    consent: await psuAuthorisation.describeCancellationForPsu(sca.id, pending.psuId),
    secondFactorDue: !pending.secondFactor,
  });
  /** A signing basket: its one screen carries the code, as a payment's does. */
  const describeBasket = async (sca: ScaAuthorisation, pending: PendingAuthentication) => {
    const psu = await psuIdentity.findPsu(pending.psuId);
    if (!psu) throw new Error('an SCA names an unknown PSU');
    return { psu, basket: await psuAuthorisation.describeSigningBasketForPsu(sca.id, psu.partyId) };
  };
  const secondFactorDue = async (sca: ScaAuthorisation, pending: PendingAuthentication) => {
    if (sca.purpose === 'authorise-basket') return false;
    return (sca.purpose === 'cancel' ? await describeCancellation(sca, pending) : await describe(sca, pending)).secondFactorDue;
  };
  const renderBasket = async (reply: FastifyReply, sca: ScaAuthorisation, basket: Awaited<ReturnType<typeof describeBasket>>['basket'], extra: { error?: string; status?: number } = {}) => {
    const names = await tppNamesOf(provider, organisationLegalName, sca.clientId);
    return sendPage(reply, signingBasketPage({ action: action(sca.id, 'consent'), tppLegalName: names.legalName, clientName: names.clientName, basket, error: extra.error }), extra.status);
  };
  const renderCancellation = async (reply: FastifyReply, sca: ScaAuthorisation, consent: ConsentForPsu['consent']) => {
    const names = await tppNamesOf(provider, organisationLegalName, sca.clientId);
    return sendPage(reply, cancellationPage({ action: action(sca.id, 'consent'), tppLegalName: names.legalName, clientName: names.clientName, consent }));
  };
  const renderConsent = async (reply: FastifyReply, sca: ScaAuthorisation, described: ConsentForPsu, extra: { error?: string; chosen?: readonly string[]; status?: number } = {}) => {
    const names = await tppNamesOf(provider, organisationLegalName, sca.clientId);
    return sendPage(reply, consentPage(consentPageModel(described, { action: action(sca.id, 'consent'), ...names, error: extra.error, chosen: extra.chosen })), extra.status);
  };
  const otpPage = (reply: FastifyReply, sca: ScaAuthorisation, error?: string, throttled?: LoginThrottled) => {
    const page = oneTimeCodePage({ action: action(sca.id, 'otp'), passkeyEndpoint: undefined, error });
    return throttled ? sendThrottledPage(reply, page, throttled) : sendPage(reply, page);
  };
  const loginFor = async (sca: ScaAuthorisation, error?: string, username?: string) => loginPage({ action: action(sca.id, 'login'), clientName: (await tppNamesOf(provider, organisationLegalName, sca.clientId)).clientName, error, username });

  app.get<{ Params: { id: string } }>(`${SCA_REDIRECT_PREFIX}/:id`, async (request, reply) => {
    const sca = await open(request);
    if (!sca) return sendPage(reply, sessionExpiredPage(), 400);
    const pending = await loadPendingAuthentication(cache, pendingKey(sca));
    try {
      if (!pending) {
        // A consent that cannot be authorised goes back to the TPP before the PSU types anything.
        if (sca.purpose === 'authorise') await psuAuthorisation.findAuthorisableConsent(authorisationRequest(sca));
        if (sca.purpose === 'authorise-basket') await psuAuthorisation.findAuthorisableSigningBasket(sca.id);
        return sendPage(reply, await loginFor(sca));
      }
      if (sca.purpose === 'authorise-basket') return await renderBasket(reply, sca, (await describeBasket(sca, pending)).basket);
      if (sca.purpose === 'cancel') {
        const cancelling = await describeCancellation(sca, pending);
        return cancelling.secondFactorDue ? otpPage(reply, sca) : renderCancellation(reply, sca, cancelling.consent);
      }
      const { described, secondFactorDue } = await describe(sca, pending);
      return secondFactorDue ? otpPage(reply, sca) : renderConsent(reply, sca, described);
    } catch (error) {
      if (isAppError(error)) return failed(reply, sca, pending?.psuId ?? null);
      throw error;
    }
  });

  app.post<{ Params: { id: string }; Body: PsuForm }>(`${SCA_REDIRECT_PREFIX}/:id/login`, async (request, reply) => {
    const sca = await open(request);
    if (!sca) return sendPage(reply, sessionExpiredPage(), 400);
    if (request.body.cancel) return failed(reply, sca, null);
    try {
      const psu = await psuIdentity.authenticatePassword({ username: String(request.body.username ?? ''), password: String(request.body.password ?? '') }, { source: request.ip });
      await psuAuthorisation.advanceSca(sca.id, 'psu-identified', psu.psuId);
      await savePendingAuthentication(cache, pendingKey(sca), { psuId: psu.psuId });
      return reply.redirect(here(sca.id), 303);
    } catch (error) {
      if (error instanceof LoginThrottled) return sendThrottledPage(reply, await loginFor(sca, error.message, request.body.username), error);
      if (isAppError(error) && error.code === PsuIdentityErrors.INVALID_CREDENTIALS.code) return sendPage(reply, await loginFor(sca, error.message, request.body.username));
      if (isAppError(error)) return failed(reply, sca, null);
      throw error;
    }
  });

  app.post<{ Params: { id: string }; Body: PsuForm }>(`${SCA_REDIRECT_PREFIX}/:id/otp`, async (request, reply) => {
    const sca = await open(request);
    const pending = sca && (await loadPendingAuthentication(cache, pendingKey(sca)));
    if (!sca || !pending) return sendPage(reply, sessionExpiredPage(), 400);
    if (request.body.cancel) return failed(reply, sca, pending.psuId);
    try {
      if (!(await secondFactorDue(sca, pending))) return reply.redirect(here(sca.id), 303);
      await psuIdentity.verifyOneTimeCode(pending.psuId, String(request.body.otp ?? ''), { source: request.ip });
      await psuAuthorisation.advanceSca(sca.id, 'psu-authenticated', pending.psuId);
    } catch (error) {
      if (error instanceof LoginThrottled) return otpPage(reply, sca, error.message, error);
      if (isAppError(error) && error.code === PsuIdentityErrors.INVALID_ONE_TIME_CODE.code) return otpPage(reply, sca, error.message);
      if (isAppError(error)) return failed(reply, sca, pending.psuId);
      throw error;
    }
    await savePendingAuthentication(cache, pendingKey(sca), { psuId: pending.psuId, secondFactor: 'otp' });
    return reply.redirect(here(sca.id), 303);
  });

  app.post<{ Params: { id: string }; Body: PsuForm }>(`${SCA_REDIRECT_PREFIX}/:id/consent`, async (request, reply) => {
    const sca = await open(request);
    const pending = sca && (await loadPendingAuthentication(cache, pendingKey(sca)));
    if (!sca || !pending) return sendPage(reply, sessionExpiredPage(), 400);
    if (sca.purpose === 'cancel') {
      try {
        if (await secondFactorDue(sca, pending)) return reply.redirect(here(sca.id), 303);
        if (request.body.decision !== 'approve') return await failed(reply, sca, pending.psuId);
        await psuAuthorisation.confirmCancellation(sca.id, pending.psuId);
        await clearPendingAuthentication(cache, pendingKey(sca));
        return reply.redirect(sca.redirectUri ?? here(sca.id), 303);
      } catch (error) {
        if (isAppError(error)) return failed(reply, sca, pending.psuId);
        throw error;
      }
    }
    if (sca.purpose === 'authorise-basket') {
      let basket: Awaited<ReturnType<typeof describeBasket>>['basket'] | undefined;
      try {
        const step = await describeBasket(sca, pending);
        basket = step.basket;
        if (request.body.decision !== 'approve') {
          await psuAuthorisation.denySigningBasket(sca.id);
          return await failed(reply, sca, pending.psuId);
        }
        await psuAuthorisation.approveSigningBasket(sca.id, { psuId: step.psu.psuId, partyId: step.psu.partyId, oneTimeCode: request.body.otp, shownBinding: request.body.binding, source: request.ip });
        await clearPendingAuthentication(cache, pendingKey(sca));
        return reply.redirect(sca.redirectUri ?? here(sca.id), 303);
      } catch (error) {
        if (basket && error instanceof LoginThrottled) return renderBasket(reply.header('retry-after', String(error.retryAfterSeconds)), sca, basket, { error: error.message, status: 429 });
        if (basket && isAppError(error) && error.code === PsuIdentityErrors.INVALID_ONE_TIME_CODE.code) return renderBasket(reply, sca, basket, { error: error.message });
        if (isAppError(error)) return failed(reply, sca, pending.psuId);
        throw error;
      }
    }
    const accounts = request.body.accounts;
    const chosen = accounts === undefined ? [] : Array.isArray(accounts) ? accounts : [accounts];
    let described: ConsentForPsu | undefined;
    try {
      const step = await describe(sca, pending);
      described = step.described;
      if (step.secondFactorDue) return reply.redirect(here(sca.id), 303);
      const request_ = authorisationRequest(sca);
      if (request.body.decision !== 'approve') {
        await psuAuthorisation.denyConsent(request_, step.psu.partyId);
        return await failed(reply, sca, pending.psuId);
      }
      const payment = described.consent.payment !== null;
      await psuAuthorisation.approveConsent(
        request_,
        { psuId: step.psu.psuId, partyId: step.psu.partyId, accountIds: chosen, oneTimeCode: payment ? request.body.otp : undefined, shownBinding: request.body.binding, source: request.ip },
        // No authorisation-server grant: the TPP acts under the consent id itself.
        async () => undefined,
      );
      await psuAuthorisation.advanceSca(sca.id, 'finalised', pending.psuId);
      await clearPendingAuthentication(cache, pendingKey(sca));
      return reply.redirect(sca.redirectUri ?? here(sca.id), 303);
    } catch (error) {
      if (described && error instanceof LoginThrottled) return renderConsent(reply.header('retry-after', String(error.retryAfterSeconds)), sca, described, { error: error.message, chosen, status: 429 });
      if (described && isAppError(error) && [PsuIdentityErrors.INVALID_ONE_TIME_CODE.code, PsuAuthorisationErrors.ACCOUNTS_REQUIRED.code].includes(error.code)) return renderConsent(reply, sca, described, { error: error.message, chosen });
      if (isAppError(error)) return failed(reply, sca, pending.psuId);
      throw error;
    }
  });
}
