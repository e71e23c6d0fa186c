import { generateTotp, timeStep, TOTP_PERIOD_SECONDS } from '../../modules/psu-identity/index.ts';

/** A sandbox PSU login as `GET /sandbox/v1/psus` lists it (DESIGN.md §3). */
export interface PsuLogin {
  readonly username: string;
  readonly password: string;
  readonly totpSecret: string;
  readonly name: string;
}

type Playwright = typeof import('playwright-core');
type Browser = Awaited<ReturnType<Playwright['chromium']['launch']>>;

/**
 * One-time codes that the bank will take: a code is accepted once per PSU and time step, within
 * one step either side of now (RFC 6238 §5.2), so each authorisation gets an unused step and the
 * clock waits for a new step when all three are spent.
 */
export class OneTimeCodes {
  private readonly used = new Map<string, Set<number>>();

  async next(psu: PsuLogin): Promise<string> {
    const used = this.used.get(psu.username) ?? new Set<number>();
    this.used.set(psu.username, used);
    for (;;) {
      const now = timeStep(new Date());
      const step = [now - 1, now, now + 1].find((candidate) => !used.has(candidate));
      if (step !== undefined) {
        used.add(step);
        return generateTotp(psu.totpSecret, new Date(step * TOTP_PERIOD_SECONDS * 1000));
      }
      const nextStepAt = (now + 1) * TOTP_PERIOD_SECONDS * 1000;
      await new Promise((resolve) => setTimeout(resolve, nextStepAt - Date.now() + 50));
    }
  }
}

export interface PsuBrowserOptions {
  readonly chromiumPath: string;
  /** Trust the bank's server certificate by the SPKI hash of its key (no blanket switch). */
  readonly serverSpkiHash?: string;
}

/**
 * The PSU in a real browser (Debian's Chromium through playwright-core), driving the bank's pages
 * by the labels DESIGN.md §3 fixes: `Username`, `Password`, `One-time code`, account choices, and the
 * buttons `Continue` and `Approve`. It follows whatever steps the bank shows until the bank
 * redirects to the TPP.
 */
export class PsuBrowser {
  private constructor(private readonly browser: Browser) {}

  static async launch(options: PsuBrowserOptions): Promise<PsuBrowser> {
    let playwright: Playwright;
    try {
      playwright = await import('playwright-core');
    } catch {
      throw new Error('the PSU steps need playwright-core (npm install playwright-core) and Chromium');
    }
    const browser = await playwright.chromium.launch({
      executablePath: options.chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        ...(options.serverSpkiHash ? [`--ignore-certificate-errors-spki-list=${options.serverSpkiHash}`] : []),
      ],
    });
    return new PsuBrowser(browser);
  }

  /**
   * Authorises at `url` as `psu`, choosing `accountIds` where the page offers accounts (all of them
   * for account access when none is named), and resolves with the URL the bank sent the PSU back to.
   */
  async authorise(url: string, redirectUri: string, psu: PsuLogin, codes: OneTimeCodes, accountIds: readonly string[] = []): Promise<URL> {
    const context = await this.browser.newContext();
    try {
      const page = await context.newPage();
      let landed: URL | undefined;
      // The bank sends the PSU back with a redirect (its Location carries the code, in the fragment
      // for `code id_token`); route handlers do not see redirects, so it is read off the response.
      const reading: Array<Promise<void>> = [];
      page.on('response', (response) => {
        if (response.status() < 300 || response.status() >= 400) return;
        reading.push(
          response.headerValue('location').then((location) => {
            if (location?.startsWith(redirectUri)) landed = new URL(location);
          }),
        );
      });
      await page.goto(url);
      for (let step = 0; step < 8 && !landed; step += 1) {
        if (page.url().startsWith(redirectUri)) break;
        const username = page.getByLabel('Username', { exact: true });
        if (await username.count()) {
          await username.fill(psu.username);
          await page.getByLabel('Password', { exact: true }).fill(psu.password);
        }
        const choices = page.locator('input[name="accounts"]');
        const count = await choices.count();
        if (count > 0) {
          const values = await choices.evaluateAll((inputs) => inputs.map((input) => (input as unknown as { value: string }).value));
          const wanted = accountIds.filter((id) => values.includes(id));
          const chosen = wanted.length > 0 ? wanted : (await choices.first().getAttribute('type')) === 'radio' ? [values[0]!] : values;
          for (const value of chosen) await page.locator(`input[name="accounts"][value="${value}"]`).check();
        }
        const code = page.getByLabel('One-time code', { exact: true });
        if (await code.count()) await code.fill(await codes.next(psu));
        const approve = page.getByRole('button', { name: 'Approve', exact: true });
        const button = (await approve.count()) ? approve : page.getByRole('button', { name: 'Continue', exact: true });
        if (!(await button.count())) throw new Error(`the bank's page at ${page.url()} offers neither Approve nor Continue: ${(await page.locator('body').innerText()).slice(0, 300)}`);
        await Promise.all([page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: 15_000 }), button.first().click()]);
        await page.waitForLoadState('domcontentloaded').catch(() => undefined);
        await Promise.all(reading);
        if (page.url().startsWith('chrome-error:')) break;
      }
      if (!landed) throw new Error(`the PSU was not sent back to the TPP; last page ${page.url()}: ${(await page.locator('body').innerText()).slice(0, 300)}`);
      return landed;
    } finally {
      await context.close();
    }
  }

  close(): Promise<void> {
    return this.browser.close();
  }
}
