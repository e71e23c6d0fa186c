import { readFile } from 'node:fs/promises';
import type { SecretSource } from './config.ts';

/** A secret given inline, or read from its file (trailing white space dropped). */
export async function readSecret(source: SecretSource): Promise<string> {
  return 'value' in source ? source.value : (await readFile(source.file, 'utf8')).trim();
}
