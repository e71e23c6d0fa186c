import type { TestPortico } from './start-test-portico.ts';
import type { HttpsResponse } from './https-client.ts';

/** A cookie-keeping user agent on the bank's origin that follows redirects until it leaves it or gets a page. */
export class PsuAgent {
  private readonly cookies = new Map<string, string>();
  location = '';

  constructor(private readonly app: TestPortico) {}

  async go(url: string, form?: Record<string, string> | URLSearchParams): Promise<HttpsResponse> {
    let target = url;
    let body = form ? new URLSearchParams(form).toString() : undefined;
    for (;;) {
      const response = await this.app.request(target.replace(this.app.base, ''), {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
          ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
        },
        ...(body === undefined ? {} : { body }),
      });
      for (const cookie of response.headers['set-cookie'] ?? []) {
        const [pair] = cookie.split(';');
        const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
        if (/expires=Thu, 01 Jan 1970/i.test(cookie) || value === '') this.cookies.delete(name);
        else this.cookies.set(name, value);
      }
      const next = response.headers.location;
      if (![302, 303].includes(response.status) || !next) return response;
      this.location = new URL(next, this.app.base).toString();
      if (!this.location.startsWith(this.app.base)) return response;
      target = this.location;
      body = undefined;
    }
  }
}
