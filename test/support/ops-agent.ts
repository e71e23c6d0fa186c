import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** A browser of the operations console through inject: keeps the session cookie; forms and scripts' JSON. */
export class OpsAgent {
  cookie = '';
  constructor(private readonly app: FastifyInstance) {}
  async get(url: string): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookie } }));
  }
  async post(url: string, form: Record<string, string>): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'POST', url, headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() }));
  }
  /** What passkeys.js sends: JSON, with the page's token in `x-csrf-token` (omitted when undefined). */
  async postJson(url: string, body: unknown, csrf: string | undefined): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { cookie: this.cookie, 'content-type': 'application/json' };
    if (csrf !== undefined) headers['x-csrf-token'] = csrf;
    return this.keep(await this.app.inject({ method: 'POST', url, headers, payload: typeof body === 'string' ? body : JSON.stringify(body) }));
  }
  private keep(response: LightMyRequestResponse) {
    const set = response.cookies.find((c) => c.name === 'portico_ops');
    if (set) this.cookie = set.value ? `portico_ops=${set.value}` : '';
    return response;
  }
}

/** The anti-forgery token of a console page (its forms' hidden field). */
export const csrfOf = (body: string) => /name="csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
