import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export const DNB_FIXTURE = path.join(import.meta.dirname, '../fixtures/registers/dnb-public-register.json');

/** A publication as DNB's Public Register API answers it (`PublicationView`), organisations loosely typed. */
export interface DnbPublication {
  registerCode: string;
  publishDate: string;
  organizations: Array<Record<string, unknown> & { relationNumber?: string | null; registrations?: Array<Record<string, unknown>> }>;
  [key: string]: unknown;
}

/**
 * DNB's Public Register API as its OpenAPI description has it, serving the publications in
 * `publications` (the fixture's, by default): `GET {base}/api/publicregister/{language}/Publications/{registerCode}`
 * with `page` and `pageSize`, at most 3 organisations a page (the API allows up to 25) so that
 * readers must follow `_metadata.hasMorePages`; 401 without the subscription key `KEY`; 404 for
 * a register it does not publish.
 */
export async function startDnbRegisterApi(key = 'dnb-test-key') {
  const state = {
    publications: JSON.parse(readFileSync(DNB_FIXTURE, 'utf8')) as DnbPublication[],
    /** Answer every request with this status instead (a failing API). */
    failWith: undefined as number | undefined,
    requests: [] as string[],
  };
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    state.requests.push(`${url.pathname}${url.search}`);
    const json = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (state.failWith) return json(state.failWith, { errorMessage: 'unavailable' });
    if (request.headers['ocp-apim-subscription-key'] !== key) return json(401, { statusCode: 401, message: 'Access denied due to missing subscription key.' });
    const match = /^\/publicdata\/v1\/api\/publicregister\/([A-Z]{2})\/Publications\/([A-Z]+)$/.exec(url.pathname);
    const publication = match && state.publications.find((item) => item.registerCode === match[2]);
    if (!publication) return json(404, { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No publication was found.' });
    const page = Number(url.searchParams.get('page') ?? '1');
    const pageSize = Math.min(Number(url.searchParams.get('pageSize') ?? '10'), 3);
    const organizations = publication.organizations.slice((page - 1) * pageSize, page * pageSize);
    json(200, { ...publication, organizations, _metadata: { page, pageSize, hasMorePages: page * pageSize < publication.organizations.length, totalCount: publication.organizations.length } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    state,
    key,
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/publicdata/v1`,
    /** The publications with `change` applied (the register as DNB publishes it next). */
    change(change: (publications: DnbPublication[]) => void) {
      change(state.publications);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The registration of `relationNumber` whose `country.isoCode` is `country`. */
export function dnbRegistration(publications: DnbPublication[], relationNumber: string, country: string): Record<string, unknown> {
  const organization = publications.flatMap((item) => item.organizations).find((item) => item.relationNumber === relationNumber)!;
  return organization.registrations!.find((item) => (item['country'] as { isoCode: string }).isoCode === country)!;
}
