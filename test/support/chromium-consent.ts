import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import type { SandboxPsuLogin } from '../../src/modules/sandbox/index.ts';
import { tppContext } from './browser.ts';
import { REDIRECT_URI, TppClient } from './tpp-client.ts';

/**
 * The PSU authorises an account-access consent in Chromium, FAPI 1.0 Advanced: the TPP's signed
 * authorisation request, the bank's login (password, then the one-time code), the first account
 * chosen, Approve; then the TPP exchanges the code. Resolves with the PSU's access token.
 */
export async function authoriseInChromium(browser: Browser, tpp: TppClient, consentId: string, psu: SandboxPsuLogin): Promise<string> {
  const { verifier, challenge } = TppClient.pkce();
  const state = randomUUID();
  const { context, page, landing } = await tppContext(browser, REDIRECT_URI);
  try {
    await page.goto(await tpp.fapi1AuthorisationUrl(consentId, state, randomUUID(), challenge));
    await page.getByLabel('Username').fill(psu.username);
    await page.getByLabel('Password').fill(psu.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('One-time code').fill(generateTotp(psu.totpSecret, new Date()));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('checkbox').first().check();
    await page.getByRole('button', { name: 'Approve' }).click();
    const fragment = new URLSearchParams((await landing()).hash.slice(1));
    if (fragment.get('state') !== state) throw new Error(`the bank returned state ${fragment.get('state')}, not ${state}`);
    const exchanged = await tpp.exchangeCode(fragment.get('code') ?? '', verifier);
    if (exchanged.status !== 200) throw new Error(`code exchange failed: ${exchanged.status} ${exchanged.text}`);
    return exchanged.json<{ access_token: string }>().access_token;
  } finally {
    await context.close();
  }
}
