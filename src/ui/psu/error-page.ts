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
