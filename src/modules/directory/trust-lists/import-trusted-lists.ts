import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readLimited, type HttpsFetch } from '../../../platform/https-client/index.ts';
import { x509 } from '../../../platform/tls/index.ts';
import type { TrustedList, TrustedListPointer } from './trusted-list-model.ts';
import type { TrustedListsRepository } from './trusted-lists.repository.port.ts';
import { readListOfTrustedLists, readTrustedList, verifyTrustedList } from './trusted-list-xml.ts';

/** The largest list fetched: the EU LOTL and the national lists are a few megabytes at most. */
const MAX_LIST_BYTES = 32 * 1024 * 1024;

/** Where the List of Trusted Lists and the lists it points at are read from. */
export interface TrustedListSource {
  readonly lotlLocation: string;
  readLotl(): Promise<string>;
  readList(pointer: TrustedListPointer): Promise<string>;
}

/** What became of one territory's list. */
export interface TrustedListOutcome {
  readonly territory: string;
  readonly outcome: 'imported' | 'unchanged' | 'refused' | 'unavailable';
  readonly sequenceNumber?: number;
  readonly services?: number;
  readonly problem?: string;
}

export interface ImportOptions {
  readonly now?: Date;
  readonly onProgress?: (phase: string, done: number, total: number) => void;
}

/**
 * The EU List of Trusted Lists, verified with the configured LOTL signing certificates, then each
 * national list it points at, verified with the certificates the LOTL names for it. A list that
 * cannot be read or verified, that claims another territory, or that is older than the one held
 * (a replayed list could bring back a withdrawn CA) leaves the held one in place and is reported;
 * a LOTL that does not verify imports nothing.
 */
export async function importTrustedLists(records: TrustedListsRepository, source: TrustedListSource, lotlSignerPems: readonly string[], options: ImportOptions = {}): Promise<TrustedListOutcome[]> {
  const now = options.now ?? new Date();
  const lotl = verifyTrustedList(await source.readLotl(), lotlSignerPems);
  const pointers = readListOfTrustedLists(lotl.document);
  const held = new Map((await records.heldLists()).map((list) => [list.territory, list]));
  const outcomes: TrustedListOutcome[] = [];
  for (const [index, pointer] of pointers.entries()) {
    options.onProgress?.('trusted lists', index, pointers.length);
    let xml: string;
    try {
      xml = await source.readList(pointer);
    } catch (error) {
      outcomes.push({ territory: pointer.territory, outcome: 'unavailable', problem: (error as Error).message });
      continue;
    }
    outcomes.push(await importList(records, xml, pointer, held.get(pointer.territory)?.sequenceNumber, now));
  }
  options.onProgress?.('trusted lists', pointers.length, pointers.length);
  return outcomes;
}

async function importList(records: TrustedListsRepository, xml: string, pointer: TrustedListPointer, heldSequence: number | undefined, now: Date): Promise<TrustedListOutcome> {
  const { territory } = pointer;
  let list: TrustedList;
  try {
    const verified = verifyTrustedList(xml, pointer.signerPems);
    list = readTrustedList(verified.document, pointer.location, verified.signerPem);
  } catch (error) {
    return { territory, outcome: 'refused', problem: (error as Error).message };
  }
  if (list.territory !== territory) return { territory, outcome: 'refused', problem: `the list at ${pointer.location} is ${list.territory}'s` };
  if (heldSequence !== undefined && list.sequenceNumber < heldSequence) {
    return { territory, outcome: 'refused', sequenceNumber: list.sequenceNumber, problem: `sequence ${list.sequenceNumber} is older than the list held (${heldSequence})` };
  }
  if (heldSequence === list.sequenceNumber) return { territory, outcome: 'unchanged', sequenceNumber: list.sequenceNumber, services: list.services.length };
  await records.replaceList(list, now);
  return { territory, outcome: 'imported', sequenceNumber: list.sequenceNumber, services: list.services.length };
}

/** The LOTL and national lists from files: the lists in `directory` named as their TSLLocation ends, or `<territory>.xml`. */
export function fileTrustedListSource(lotlFile: string, directory: string): TrustedListSource {
  return {
    lotlLocation: lotlFile,
    readLotl: () => readFile(lotlFile, 'utf8'),
    async readList(pointer) {
      const byLocation = path.join(directory, path.basename(new URL(pointer.location).pathname));
      return readFile(byLocation, 'utf8').catch(() => readFile(path.join(directory, `${pointer.territory}.xml`), 'utf8'));
    },
  };
}

/** The LOTL from its URL and the lists from theirs. */
export function httpTrustedListSource(fetch: HttpsFetch, lotlUrl: string): TrustedListSource {
  const get = async (url: string) => {
    const response = await fetch(url, { headers: { accept: 'application/vnd.etsi.tsl+xml, application/xml, text/xml' } });
    if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
    return new TextDecoder().decode(await readLimited(response, MAX_LIST_BYTES));
  };
  return { lotlLocation: lotlUrl, readLotl: () => get(lotlUrl), readList: (pointer) => get(pointer.location) };
}

/**
 * A configured CA set as a trusted list of its own (the UK's, outside the EU LOTL): each CA a
 * granted qualified service for `uses`, from its validity start. Replaced whole on each import.
 */
export async function importCaSet(records: TrustedListsRepository, territory: string, pems: readonly string[], source: string, now: Date = new Date()): Promise<TrustedListOutcome> {
  const services = pems.map((pem) => {
    const certificate = new x509.X509Certificate(pem);
    return {
      territory,
      providerName: certificate.subjectName.getField('O')[0] ?? certificate.subject,
      serviceName: certificate.subjectName.getField('CN')[0] ?? certificate.subject,
      serviceType: 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC',
      certificatePem: certificate.toString('pem'),
      uses: ['QWAC', 'QSealC'] as const,
      statuses: [{ status: 'granted', from: certificate.notBefore }],
    };
  });
  await records.replaceList({ territory, sequenceNumber: Math.floor(now.getTime() / 1000), issuedAt: now, nextUpdate: undefined, source, signerPem: undefined, services }, now);
  return { territory, outcome: 'imported', services: services.length };
}
