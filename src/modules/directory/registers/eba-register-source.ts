import { readFile } from 'node:fs/promises';
import { unzipSync } from 'fflate';
import { z } from 'zod';
import { readLimited, type HttpsFetch } from '../../../platform/https-client/index.ts';
import { parseEbaRegister, type ParsedRegister } from './eba-register.ts';

/** Where the EBA publishes the current file of its PSD2 register. */
export const EBA_REGISTER_METADATA_URL = 'https://euclid.eba.europa.eu/register/api/filemetadata';

/** The largest register file read (the full register is some hundreds of megabytes unpacked). */
const MAX_BYTES = 1024 * 1024 * 1024;

const fileMetadata = z.object({ golden_copy_path_context: z.string().min(1), latest_version_relative_zip_path: z.string().min(1) });

export type RegisterProgress = (phase: string, done: number, total: number) => void;

/** A register file as the EBA publishes it (ZIP) or its JSON unpacked. */
export async function readEbaRegisterFile(path: string, onProgress?: RegisterProgress): Promise<ParsedRegister> {
  onProgress?.('reading', 0, 1);
  const bytes = new Uint8Array(await readFile(path));
  onProgress?.('reading', 1, 1);
  return parseEbaRegisterBytes(bytes, onProgress);
}

/**
 * The current register from the EBA: its file metadata names the ZIP of the latest version
 * (`golden_copy_path_context` + `latest_version_relative_zip_path`), which holds the JSON.
 */
export async function downloadEbaRegister(fetch: HttpsFetch, metadataUrl: string, onProgress?: RegisterProgress): Promise<{ readonly parsed: ParsedRegister; readonly source: string }> {
  onProgress?.('downloading', 0, 1);
  const metadataResponse = await fetch(metadataUrl, { headers: { accept: 'application/json' } });
  if (!metadataResponse.ok) throw new Error(`the EBA register metadata answered HTTP ${metadataResponse.status}`);
  const metadata = fileMetadata.safeParse(await metadataResponse.json().catch(() => undefined));
  if (!metadata.success) throw new Error('the EBA register metadata does not name the latest file (golden_copy_path_context, latest_version_relative_zip_path)');
  const source = new URL(metadata.data.latest_version_relative_zip_path, metadata.data.golden_copy_path_context.replace(/\/?$/, '/')).href;
  const response = await fetch(source);
  if (!response.ok) throw new Error(`the EBA register file ${source} answered HTTP ${response.status}`);
  const bytes = await readLimited(response, MAX_BYTES);
  onProgress?.('downloading', 1, 1);
  return { parsed: parseEbaRegisterBytes(bytes, onProgress), source };
}

function parseEbaRegisterBytes(bytes: Uint8Array, onProgress?: RegisterProgress): ParsedRegister {
  if (bytes.byteLength > MAX_BYTES) throw new Error(`the EBA register file is ${bytes.byteLength} bytes, more than the ${MAX_BYTES} read`);
  const json = isZip(bytes) ? jsonInZip(bytes) : bytes;
  return parseEbaRegister(new TextDecoder().decode(json), (done, total) => onProgress?.('parsing', done, total));
}

/** PKZIP local file header signature, "PK\x03\x04". */
function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function jsonInZip(bytes: Uint8Array): Uint8Array {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (file) => file.name.toLowerCase().endsWith('.json') && file.originalSize <= MAX_BYTES });
  } catch (error) {
    throw new Error(`the EBA register ZIP cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const [json, ...others] = Object.values(files);
  if (!json) throw new Error('the EBA register ZIP holds no JSON file');
  if (others.length > 0) throw new Error(`the EBA register ZIP holds ${others.length + 1} JSON files; the published one holds one`);
  return json;
}
