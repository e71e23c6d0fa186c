import { readFile } from 'node:fs/promises';
import { readLimited, type HttpsFetch } from '../../../platform/https-client/index.ts';
import { parseCreditInstitutionsRegister } from './credit-institutions-register.ts';
import type { ParsedRegister } from './eba-register.ts';
import type { RegisterProgress } from './eba-register-source.ts';

/**
 * Where the EBA Credit Institutions Register's search page (`/register/cir/search`) reads the
 * register: it takes a query and answers every matching record at once. The EBA documents
 * neither; there is no download of this register to read instead.
 */
export const CIR_SEARCH_URL = 'https://euclid.eba.europa.eu/register/api/search/entities';

/** The search page's query for the whole register: every record of the credit institutions' master data. */
export const CIR_QUERY = { $and: [{ _messagetype: 'EUCLIDMD' }] } as const;

/** The largest answer read (the register lists some thousands of institutions and branches). */
const MAX_BYTES = 256 * 1024 * 1024;

/** The register as saved from its search (the JSON array it answers). */
export async function readCreditInstitutionsRegisterFile(path: string, onProgress?: RegisterProgress): Promise<ParsedRegister> {
  onProgress?.('reading', 0, 1);
  const text = await readFile(path, 'utf8');
  onProgress?.('reading', 1, 1);
  return parseCreditInstitutionsRegister(text, (done, total) => onProgress?.('parsing', done, total));
}

/** The current register, asked for whole at `url`. A failed or unreadable answer throws: never read as withdrawals. */
export async function downloadCreditInstitutionsRegister(fetch: HttpsFetch, url: string, onProgress?: RegisterProgress): Promise<ParsedRegister> {
  onProgress?.('downloading', 0, 1);
  const response = await fetch(url, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: new TextEncoder().encode(JSON.stringify(CIR_QUERY)),
  });
  if (!response.ok) throw new Error(`the EBA Credit Institutions Register answered HTTP ${response.status}`);
  const bytes = await readLimited(response, MAX_BYTES);
  onProgress?.('downloading', 1, 1);
  return parseCreditInstitutionsRegister(new TextDecoder().decode(bytes), (done, total) => onProgress?.('parsing', done, total));
}
