import { html, type Html } from './html.ts';

/**
 * An account's type and masked number (`accountDescription`) under its name; each part kept on
 * one line so that a narrow screen (390 px) never breaks "ending ••••5678" apart.
 */
export function accountAbout(description: string, id?: string): Html {
  return html`<span class="account-about"${id ? html` id="${id}"` : ''}>${description.split(' · ').map((part, i) => html`${i > 0 ? ' · ' : ''}<span>${part}</span>`)}</span>`;
}
