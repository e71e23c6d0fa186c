import { createHash, X509Certificate } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Debian's Chromium, headless, trusting exactly the platform's server certificate (by its SPKI
 * hash) — no blanket certificate-error switch.
 */
export async function launchBrowser(serverCertificatePem: string): Promise<Browser> {
  const spki = createHash('sha256').update(new X509Certificate(serverCertificatePem).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', `--ignore-certificate-errors-spki-list=${spki}`],
  });
}

/**
 * A browser context in which the TPP's redirect URI (which does not resolve) is answered by a stub
 * page; `landing()` resolves with the full URL the bank redirected the PSU to.
 */
export async function tppContext(browser: Browser, redirectUri: string): Promise<{ context: BrowserContext; page: Page; landing: () => Promise<URL> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  let resolveLanding: (url: URL) => void;
  const landed = new Promise<URL>((resolve) => (resolveLanding = resolve));
  await context.route(`${redirectUri}**`, async (route) => {
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>TPP</title><p>Back at the TPP</p>' });
  });
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame() && frame.url().startsWith(redirectUri)) resolveLanding(new URL(frame.url()));
  });
  return { context, page, landing: () => landed };
}
