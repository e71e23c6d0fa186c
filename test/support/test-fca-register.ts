import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The FCA register API as the test keeps it: firm status and PSRs permissions by FRN. */
export class TestFcaRegister {
  readonly firms = new Map<string, { status: string; permissions: string[] }>();
  private server!: http.Server;
  private url = '';

  /** The platform's environment for holding this register (a UK bank; synchronised by hand). */
  get environment(): Record<string, string> {
    return { REGISTERS: 'fca', ASPSP_COUNTRY: 'GB', REGISTER_FCA_API_URL: this.url, REGISTER_FCA_API_EMAIL: 'ops@bank.example', REGISTER_FCA_API_KEY: 'test-key', REGISTER_SYNC_INTERVAL_HOURS: '0' };
  }

  async start(): Promise<string> {
    this.server = http.createServer((request, response) => {
      const match = /^\/Firm\/(\d+)(\/Permissions)?$/.exec(request.url ?? '');
      const firm = match && this.firms.get(match[1]!);
      const body = !firm
        ? { Status: 'FSR-API-02-01-21' }
        : match[2]
          ? { Status: 'FSR-API-02-03-00', Data: Object.fromEntries(firm.permissions.map((permission) => [permission, [{}]])) }
          : { Status: 'FSR-API-02-01-00', Data: [{ FRN: match[1], 'Organisation Name': `Firm ${match[1]}`, Status: firm.status }] };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
