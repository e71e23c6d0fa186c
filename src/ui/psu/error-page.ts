import { html } from './html.ts';
import { page } from './layout.ts';

/**
 * Shown only when the journey cannot be handed back to the provider: the authorisation session is
 * unknown or has expired, so there is no verified redirect URI to send the PSU to.
 */
export function sessionExpiredPage(): string {
  return page({
    title: 'This request has expired',
    body: html`<p>For your security, this authorisation request is no longer valid. Please return to the app or website you came from and start again.</p>`,
  });
}

/**
 * Shown when a step of a PSU page could not be completed: the PSU stays on the bank's page, told
 * whether trying again later can help, with the reference support can find the request by.
 */
export function requestFailedPage(status: number, reference: string): string {
  if (status === 503) {
    return page({
      title: 'Service temporarily unavailable',
      body: html`<p>We cannot complete this step right now. Nothing has been shared with the provider. Please wait a moment and try again.</p>
<p class="reference">Reference: ${reference}</p>`,
    });
  }
  if (status >= 500) {
    return page({
      title: 'Something went wrong',
      body: html`<p>We could not complete this step. Please return to the app or website you came from and start again.</p>
<p class="reference">Reference: ${reference}</p>`,
    });
  }
  return page({
    title: 'We could not process this request',
    body: html`<p>The request could not be processed. Please go back and try again.</p>
<p class="reference">Reference: ${reference}</p>`,
  });
}

/** A request that gives a field more than once: no page of the bank's sends one. */
export function fieldGivenTwicePage(reference: string): string {
  return page({
    title: 'We could not process this request',
    body: html`<p role="alert">This request could not be read: a field is given more than once.</p>
<p>Please go back and try again.</p>
<p class="reference">Reference: ${reference}</p>`,
  });
}

/**
 * oidc-provider's fallback error page: an authorisation request that cannot be sent back to the
 * provider (unknown client, unregistered redirect URI, unreadable request object). The PSU gets a
 * plain explanation in the bank's frame; the OAuth error itself is for the provider, not shown here.
 */
export function authorisationErrorPage(): string {
  return page({
    title: 'We could not start this request',
    body: html`<p>The app or website that sent you here asked for something Portico Bank could not accept, so nothing has been shared and no payment has been made.</p>
<p>Please go back to the app or website you came from and try again. If this keeps happening, contact them.</p>`,
  });
}
