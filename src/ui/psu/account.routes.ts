import type { FastifyInstance, FastifyReply } from 'fastify';
import { isAppError } from '../../platform/errors/index.ts';
import { LoginThrottled, PsuIdentityErrors } from '../../modules/psu-identity/index.ts';
import { loginPage, oneTimeCodePage } from './login-pages.ts';
import { securityPage } from './security-page.ts';
import { readWebAuthnAssets } from './webauthn-assets.ts';
import { accessPage, stopAccessPage } from './access-page.ts';
import { accountDescription } from './account-texts.ts';
import { endReasonText } from './end-reason-text.ts';
import { accessScopeOf, type Consent } from '../../modules/consents/index.ts';
import { paymentAccessEntry } from './payment-access-entry.ts';
import { tppNamesOf } from './tpp-names.ts';
import { sendPage, sendThrottledPage } from './send-page.ts';
import { csrfValid, endSession, loadSession, newSession, saveSession } from './psu-site-session.ts';
import type { PsuPagesOptions } from './psu-pages-options.ts';

interface Form {
  username?: string;
  password?: string;
  otp?: string;
  csrf?: string;
  decision?: string;
}

/**
 * The PSU's own pages: log in with password and one-time code, then manage sign-in methods —
 * enrol WebAuthn passkeys (PSD2 SCA with user verification) as an alternative to the code.
 */
export async function psuAccountRoutes(app: FastifyInstance, options: PsuPagesOptions): Promise<void> {
  const { pageState: cache, psuIdentity, consents, organisationLegalName, core, provider } = options;

  const tppNameOf = async (consent: Consent) => (await tppNamesOf(provider, organisationLegalName, consent.clientId)).legalName;
  const accountsOf = (consent: Consent) =>
    Promise.all(
      consent.accountIds.map(async (id) => {
        const account = await core.getAccount(id);
        return { name: account?.nickname ?? account?.name ?? id, description: account ? accountDescription(account) : undefined };
      }),
    );
  const renderAccess = async (reply: FastifyReply, session: { psuId?: string | undefined; csrf: string }, notice?: string) => {
    // Payment consents are listed apart (what they pay, not what they see); ended access goes to the history.
    // An authorised consent past its expiry reads as Expired: the history lists it.
    const current = (await consents.listCurrent(session.psuId!)).filter((consent) => consent.payment === null && consent.status === 'authorised');
    const ended = await consents.listEnded(session.psuId!);
    const entries = await Promise.all(
      [...current, ...ended].map(async (consent) => ({
        consentId: consent.id,
        tppName: await tppNameOf(consent),
        kind: consent.kind,
        access: accessScopeOf(consent),
        accounts: await accountsOf(consent),
        since: consent.authorisedAt ?? consent.createdAt,
        until: consent.expiresAt,
        ended: consent.status === 'authorised' ? null : consent.statusUpdatedAt,
        status: endReasonText(consent) ?? 'Active',
      })),
    );
    const payments = await Promise.all(
      (await consents.listPayments(session.psuId!)).map(async (consent) =>
        paymentAccessEntry(consent, await tppNameOf(consent), consent.status === 'authorised' ? await consents.vrpUsage(consent) : []),
      ),
    );
    return sendPage(reply, accessPage({ csrfToken: session.csrf, entries, payments, notice }));
  };
  /** The PSU's own consent that they can still stop: data sharing, or recurring payments (VRP). */
  const stoppableConsent = async (psuId: string, consentId: string) => {
    const consent = await consents.find(consentId);
    // Only the PSU's own consents; anything else reads as already gone. Of payment consents, only
    // recurring payments (VRP) are stopped here: a one-off payment's consent is used once.
    const stoppable = consent && (consent.payment === null || consent.kind === 'domestic-vrp');
    return consent && stoppable && consent.psuId === psuId && consent.status === 'authorised' ? consent : undefined;
  };
  const webauthn = await readWebAuthnAssets();
  app.get('/psu/assets/webauthn.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(webauthn.bundle));
  app.get('/psu/assets/passkeys.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(webauthn.ceremonies));

  app.get('/psu', async (request, reply) => reply.redirect((await loadSession(cache, request))?.psuId ? '/psu/access' : '/psu/login', 303));

  // The PSU's access dashboard: every provider with access, and revocation that applies to the
  // provider's next call (the consent is read on every OB request; its grant is revoked too).
  app.get('/psu/access', async (request, reply) => {
    const session = await loadSession(cache, request);
    if (!session?.psuId) return reply.redirect('/psu/login', 303);
    await saveSession(cache, reply, session);
    return renderAccess(reply, session);
  });

  // Stopping access is confirmed first, on a page of its own that works without JavaScript.
  app.get<{ Params: { consentId: string } }>('/psu/access/:consentId/stop', async (request, reply) => {
    const session = await loadSession(cache, request);
    if (!session?.psuId) return reply.redirect('/psu/login', 303);
    const consent = await stoppableConsent(session.psuId, request.params.consentId);
    if (!consent) return reply.redirect('/psu/access', 303);
    await saveSession(cache, reply, session);
    return sendPage(reply, stopAccessPage({ csrfToken: session.csrf, consentId: consent.id, tppName: await tppNameOf(consent), recurringPayments: consent.kind === 'domestic-vrp' }));
  });

  app.post<{ Params: { consentId: string }; Body: Form }>('/psu/access/:consentId/revoke', async (request, reply) => {
    const session = await loadSession(cache, request);
    if (!session?.psuId) return reply.redirect('/psu/login', 303);
    if (!csrfValid(session, request.body?.csrf) || request.body?.decision !== 'stop') return reply.redirect('/psu/access', 303);
    const consent = await stoppableConsent(session.psuId, request.params.consentId);
    if (consent) {
      await consents.revokeByPsu(consent.id);
      const name = await tppNameOf(consent);
      return renderAccess(reply, session, consent.kind === 'domestic-vrp' ? `Recurring payments by ${name} have stopped.` : `Access for ${name} has stopped.`);
    }
    return renderAccess(reply, session);
  });

  app.get('/psu/login', async (_request, reply) => sendPage(reply, loginPage({ action: '/psu/login', clientName: 'Portico Bank online' })));

  app.post<{ Body: Form }>('/psu/login', async (request, reply) => {
    try {
      const psu = await psuIdentity.authenticatePassword({ username: String(request.body?.username ?? ''), password: String(request.body?.password ?? '') }, { source: request.ip });
      const session = { ...newSession(), pendingPsuId: psu.psuId };
      await saveSession(cache, reply, session);
      return reply.redirect('/psu/login/otp', 303);
    } catch (error) {
      if (error instanceof LoginThrottled) {
        return sendThrottledPage(reply, loginPage({ action: '/psu/login', clientName: 'Portico Bank online', error: error.message, username: request.body?.username }), error);
      }
      if (isAppError(error) && error.code === PsuIdentityErrors.INVALID_CREDENTIALS.code) {
        return sendPage(reply, loginPage({ action: '/psu/login', clientName: 'Portico Bank online', error: error.message, username: request.body?.username }), 401);
      }
      throw error;
    }
  });

  app.get('/psu/login/otp', async (request, reply) => {
    const session = await loadSession(cache, request);
    if (!session?.pendingPsuId) return reply.redirect('/psu/login', 303);
    return sendPage(reply, oneTimeCodePage({ action: '/psu/login/otp' }));
  });

  app.post<{ Body: Form }>('/psu/login/otp', async (request, reply) => {
    const session = await loadSession(cache, request);
    if (!session?.pendingPsuId) return reply.redirect('/psu/login', 303);
    try {
      await psuIdentity.verifyOneTimeCode(session.pendingPsuId, String(request.body?.otp ?? ''), { source: request.ip });
    } catch (error) {
      if (isAppError(error) && error.code === PsuIdentityErrors.INVALID_ONE_TIME_CODE.code) {
        return sendPage(reply, oneTimeCodePage({ action: '/psu/login/otp', error: error.message }), 401);
      }
      if (error instanceof LoginThrottled) return sendThrottledPage(reply, oneTimeCodePage({ action: '/psu/login/otp', error: error.message }), error);
      throw error;
    }
    // A fresh session id after authentication (no fixation).
    await endSession(cache, reply, session);
    await saveSession(cache, reply, { ...newSession(), psuId: session.pendingPsuId });
    return reply.redirect('/psu/access', 303);
  });

  app.get('/psu/security', async (request, reply) => {
    const session = await loadSession(cache, request);
    if (!session?.psuId) return reply.redirect('/psu/login', 303);
    await saveSession(cache, reply, session);
    const psu = await psuIdentity.findPsu(session.psuId);
    return sendPage(reply, securityPage({ name: psu?.username ?? '', csrfToken: session.csrf, passkeys: await psuIdentity.listPasskeys(session.psuId) }));
  });

  app.post('/psu/security/passkeys/options', async (request, reply) => {
    const session = await loadSession(cache, request);
    if (!session?.psuId || !csrfValid(session, request.headers['x-csrf-token'])) return reply.status(401).send({ message: 'Please log in again' });
    return psuIdentity.startPasskeyRegistration(session.psuId);
  });

  app.post('/psu/security/passkeys', async (request, reply) => {
    const session = await loadSession(cache, request);
    if (!session?.psuId || !csrfValid(session, request.headers['x-csrf-token'])) return reply.status(401).send({ message: 'Please log in again' });
    try {
      await psuIdentity.finishPasskeyRegistration(session.psuId, request.body as never);
    } catch (error) {
      if (isAppError(error)) return reply.status(400).send({ message: error.message });
      throw error;
    }
    return reply.status(201).send({ message: 'Passkey added' });
  });

  app.post<{ Body: Form }>('/psu/logout', async (request, reply) => {
    const session = await loadSession(cache, request);
    if (session && csrfValid(session, request.body?.csrf)) await endSession(cache, reply, session);
    return reply.redirect('/psu/login', 303);
  });
}
