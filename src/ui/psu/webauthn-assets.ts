import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The browser side of passkeys: `@simplewebauthn/browser`'s bundle and the pages' ceremony script. */
export interface WebAuthnAssets {
  /** `webauthn.js`: the global `SimpleWebAuthnBrowser`. */
  readonly bundle: Buffer;
  /** `passkeys.js`: buttons marked `data-passkey-register` / `data-passkey-authenticate`. */
  readonly ceremonies: Buffer;
}

/** Read once at start; the PSU pages and the operations console serve them under their own paths. */
export async function readWebAuthnAssets(): Promise<WebAuthnAssets> {
  // The package's exports hide its browser bundle; resolve the package root and read the file.
  const browserPackage = path.resolve(path.dirname(createRequire(import.meta.url).resolve('@simplewebauthn/browser')), '..');
  const [bundle, ceremonies] = await Promise.all([fs.readFile(path.join(browserPackage, 'dist', 'bundle', 'index.umd.min.js')), fs.readFile(new URL('./assets/passkeys.js', import.meta.url))]);
  return { bundle, ceremonies };
}
