import { readFile } from 'node:fs/promises';
import { readLimited, type HttpsFetch } from '../../../platform/https-client/index.ts';
import { parseDnbRegister } from './dnb-register.ts';
import type { ParsedRegister } from './eba-register.ts';
import type { RegisterProgress } from './eba-register-source.ts';
import { utcDayOf } from '../../../platform/calendar/index.ts';

/** DNB's Public Register API, version 1 (its OpenAPI description's server). */
export const DNB_REGISTER_API_URL = 'https://api.dnb.nl/publicdata/v1';

/**
 * The Wft registers read by default: payment institutions (`WFTBI`, "Register betaalinstellingen")
 * and electronic money institutions (`WFTEG`). `GET /api/publicregister/Registers` lists every code.
 */
export const DNB_DEFAULT_REGISTERS = ['WFTBI', 'WFTEG'] as const;

export interface DnbRegisterOptions {
  readonly apiUrl: string;
  /** The API's subscription key (`Ocp-Apim-Subscription-Key`). */
  readonly key: string;
  readonly registerCodes: readonly string[];
  readonly fetch: HttpsFetch;
}

/** The most organisations the API gives in one page. */
const PAGE_SIZE = 25;
/** No register is this long (25 × 4,000 organisations); an API that never says "no more pages" is an error. */
const MAX_PAGES = 4000;
const MAX_PAGE_BYTES = 16 * 1024 * 1024;

/** The publications as saved (one `PublicationView`, or an array of the pages of one or more registers). */
export async function readDnbRegisterFile(path: string, onProgress?: RegisterProgress, today = utcDayOf(new Date())): Promise<ParsedRegister> {
  onProgress?.('reading', 0, 1);
  const text = await readFile(path, 'utf8');
  onProgress?.('reading', 1, 1);
  return parseDnbRegister(text, today, (done, total) => onProgress?.('parsing', done, total));
}

/**
 * The latest publication of each register named, page by page
 * (`/api/publicregister/NL/Publications/{registerCode}`). A failed page, or a register
 * republished while its pages were read, throws: nothing is read as a withdrawal.
 */
export async function downloadDnbRegister(options: DnbRegisterOptions, onProgress?: RegisterProgress, today = utcDayOf(new Date())): Promise<ParsedRegister> {
  const pages: unknown[] = [];
  for (const code of options.registerCodes) {
    let publishDate: unknown;
    for (let page = 1; ; page += 1) {
      if (page > MAX_PAGES) throw new Error(`the DNB public register ${code} has more than ${MAX_PAGES} pages`);
      const body = await getPage(options, code, page);
      const metadata = body._metadata as { hasMorePages?: unknown; totalCount?: unknown } | null | undefined;
      if (page === 1) publishDate = body.publishDate;
      else if (body.publishDate !== publishDate) throw new Error(`the DNB public register ${code} was published anew while it was read (${String(publishDate)}, then ${String(body.publishDate)}); try again`);
      pages.push(body);
      const total = typeof metadata?.totalCount === 'number' ? Math.ceil(metadata.totalCount / PAGE_SIZE) : page + 1;
      onProgress?.(`downloading ${code}`, page, Math.max(total, page));
      if (metadata?.hasMorePages !== true) break;
    }
  }
  return parseDnbRegister(JSON.stringify(pages), today, (done, total) => onProgress?.('parsing', done, total));
}

async function getPage(options: DnbRegisterOptions, code: string, page: number): Promise<Record<string, unknown>> {
  const url = `${options.apiUrl.replace(/\/+$/, '')}/api/publicregister/NL/Publications/${encodeURIComponent(code)}?page=${page}&pageSize=${PAGE_SIZE}`;
  const response = await options.fetch(url, { headers: { accept: 'application/json', 'ocp-apim-subscription-key': options.key } });
  if (!response.ok) throw new Error(`the DNB public register API answered HTTP ${response.status} for ${code} page ${page}`);
  const text = new TextDecoder().decode(await readLimited(response, MAX_PAGE_BYTES));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`the DNB public register API answered ${code} page ${page} with something other than JSON`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error(`the DNB public register API answered ${code} page ${page} with something other than a publication`);
  return body as Record<string, unknown>;
}
