/**
 * The platform under bench:trust in production trust mode, in its own process: SANDBOX=false with
 * the remote directory the parent serves (DIRECTORY_*, CLIENT_TRUST_ANCHORS_FILE), revocation by
 * OCSP, the EBA register (REGISTERS=eba) and the bank in ASPSP_COUNTRY, on the PostgreSQL and
 * Redis named in the environment. From TRUST_BENCH_DIR (written by bench/trust.bench.ts) it imports
 * the register (register.json), seeds a bank, and gives the TPP of transport.pem the same AIS
 * access as bench:ais's sandbox server. Every AIS call then runs the full trust checks: chain,
 * revocation (OCSP, answers shared through Redis), QCStatement, the directory's organisation, the
 * registers and the API's role.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { createBenchPortico } from './bench-portico.ts';
import { prepareAisAccess } from '../test/support/direct-ais-access.ts';
import { createRegistersModule, parseEbaRegister } from '../src/modules/directory/index.ts';
import { createSandboxModule } from '../src/modules/sandbox/index.ts';
import type { BenchAisServerReady } from './bench-ais-server.ts';

const dir = process.env['TRUST_BENCH_DIR'];
if (!dir) throw new Error('TRUST_BENCH_DIR names the folder bench/trust.bench.ts prepared');
const portico = await createBenchPortico({ sandbox: false });
const { db } = portico.database;
await createSandboxModule({ db }).seed({ customers: 20, months: 2, seed: 7, asOf: new Date() });
const registers = createRegistersModule({ db, cache: portico.cache });
await registers.synchronise({ register: 'EBA', source: 'register.json', entities: parseEbaRegister(await readFile(path.join(dir, 'register.json'), 'utf8')).entities });
const port = await portico.listen();
const { token, transactions } = await prepareAisAccess(portico, await readFile(path.join(dir, 'transport.pem'), 'utf8'));

const ready: BenchAisServerReady = {
  port,
  barePrefix: '',
  caPem: portico.tls.clientCaPems[0]!,
  certPem: await readFile(path.join(dir, 'transport.pem'), 'utf8'),
  keyPem: await readFile(path.join(dir, 'transport.key'), 'utf8'),
  token,
  transactions,
};
process.send?.(ready);
