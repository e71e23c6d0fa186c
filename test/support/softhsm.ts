import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/** SoftHSM2's PKCS#11 module as Debian installs it (package softhsm2). */
export const SOFTHSM_LIBRARY = '/usr/lib/softhsm/libsofthsm2.so';

export interface SoftHsmToken {
  readonly library: string;
  readonly tokenLabel: string;
  readonly pin: string;
  /** SOFTHSM2_CONF for processes that use this token. */
  readonly conf: string;
  remove(): Promise<void>;
}

/**
 * A fresh SoftHSM2 token in a temporary directory: its configuration file is put in this process's
 * SOFTHSM2_CONF (read by the module when it initialises) and returned for child processes.
 */
export async function softHsmToken(label = 'portico-test'): Promise<SoftHsmToken> {
  if (!existsSync(SOFTHSM_LIBRARY)) throw new Error(`SoftHSM2 is not installed (${SOFTHSM_LIBRARY}): apt-get install -y softhsm2`);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-softhsm-'));
  await fs.mkdir(path.join(dir, 'tokens'));
  const conf = path.join(dir, 'softhsm2.conf');
  await fs.writeFile(conf, `directories.tokendir = ${path.join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const pin = '246810';
  await promisify(execFile)('softhsm2-util', ['--init-token', '--free', '--label', label, '--so-pin', '13579', '--pin', pin], { env: { ...process.env, SOFTHSM2_CONF: conf } });
  process.env['SOFTHSM2_CONF'] = conf;
  return { library: SOFTHSM_LIBRARY, tokenLabel: label, pin, conf, remove: () => fs.rm(dir, { recursive: true, force: true }) };
}
