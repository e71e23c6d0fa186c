import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { createHash, X509Certificate } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config/index.ts';
import { CliError } from './cli-errors.ts';
import { CONFORMANCE_APIS, type ConformanceApi } from './conformance/manifest.ts';
import { runConformance, type ConformanceRun } from './conformance/run-conformance.ts';
import { OneTimeCodes } from './conformance/psu-browser.ts';
import type { FapiProfileName } from './conformance/outside-tpp.ts';
import { junitReport } from './conformance/junit-report.ts';
import { htmlReport } from './conformance/html-report.ts';

const PROFILES: Record<string, FapiProfileName[]> = { fapi1: ['fapi1-advanced'], fapi2: ['fapi2'], both: ['fapi1-advanced', 'fapi2'] };
const MARK = { passed: 'PASS', failed: 'FAIL', 'not-applicable': 'N/A ' } as const;

/** The SHA-256 of the bank's server key (SPKI), so Chromium trusts exactly that certificate. */
async function serverSpkiHash(baseUrl: string, ca: string | undefined): Promise<string> {
  const url = new URL(baseUrl);
  const der = await new Promise<Buffer>((resolve, reject) => {
    const socket = tls.connect({ host: url.hostname, port: Number(url.port || 443), servername: url.hostname, ...(ca ? { ca } : {}) }, () => {
      const certificate = socket.getPeerCertificate();
      socket.end();
      resolve(certificate.raw);
    });
    socket.on('error', reject);
  });
  return createHash('sha256').update(new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
}

/**
 * `portico conformance`: the OBIE functional conformance suite's v4.0 manifests run against a bank
 * as an outside TPP, in FAPI 1.0 Advanced and/or FAPI 2.0; writes JUnit XML and an HTML report.
 * Exits 1 when a script fails.
 */
export async function conformanceCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'base-url': { type: 'string' },
      ca: { type: 'string' },
      profile: { type: 'string', default: 'both' },
      api: { type: 'string', default: Object.keys(CONFORMANCE_APIS).join(',') },
      out: { type: 'string', default: 'conformance-report' },
      chromium: { type: 'string', default: '/usr/bin/chromium' },
      set: { type: 'string', multiple: true },
      'customer-ip': { type: 'string', default: '127.0.0.1' },
    },
    strict: true,
  });
  const profiles = PROFILES[values.profile];
  if (!profiles) throw new CliError(`--profile must be one of ${Object.keys(PROFILES).join(', ')}`, 2);
  const apis = values.api.split(',').map((a) => a.trim()) as ConformanceApi[];
  const unknown = apis.find((api) => !Object.hasOwn(CONFORMANCE_APIS, api));
  if (unknown) throw new CliError(`--api: unknown API "${unknown}" (one or more of ${Object.keys(CONFORMANCE_APIS).join(', ')})`, 2);
  const overrides = Object.fromEntries(
    (values.set ?? []).map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new CliError(`--set takes name=value, got "${pair}"`, 2);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
  // The PSU is present in a conformance run (it drives their browser): their address goes with the
  // account reads, as a TPP forwards it; `none` makes the reads unattended.
  const customerIp = values['customer-ip'] === 'none' ? undefined : values['customer-ip'];
  if (customerIp !== undefined && isIP(customerIp) === 0) throw new CliError(`--customer-ip must be an IP address or none (got "${customerIp}")`, 2);
  const config = loadConfig();
  const baseUrl = values['base-url'] ?? config.http.publicUrl;
  const caFile = values.ca ?? (existsSync(path.join(config.dataDir, 'tls', 'sandbox-ca.pem')) ? path.join(config.dataDir, 'tls', 'sandbox-ca.pem') : undefined);
  const ca = caFile ? await fs.readFile(caFile, 'utf8') : undefined;
  if (!existsSync(values.chromium)) throw new CliError(`Chromium not found at ${values.chromium} (apt-get install chromium, or --chromium PATH)`, 2);
  const spki = await serverSpkiHash(baseUrl, ca).catch((error: Error) => {
    throw new CliError(`cannot reach ${baseUrl}: ${error.message}${caFile ? '' : ' (pass --ca with the CA of its server certificate)'}`, 1);
  });

  const runs: ConformanceRun[] = [];
  const codes = new OneTimeCodes();
  for (const profile of profiles) {
    process.stdout.write(`OBIE conformance (v1.9.1 manifests, OB v4.0) against ${baseUrl}, ${profile === 'fapi2' ? 'FAPI 2.0' : 'FAPI 1.0 Advanced'}: ${apis.join(', ')}\n`);
    const run = await runConformance({
      baseUrl,
      ...(ca ? { ca } : {}),
      profile,
      apis,
      chromiumPath: values.chromium,
      serverSpkiHash: spki,
      values: overrides,
      codes,
      ...(customerIp ? { customerIpAddress: customerIp } : {}),
      onProgress: (done, total, result) => {
        const width = String(total).length;
        process.stdout.write(`  [${String(done).padStart(width)}/${total}] ${MARK[result.status]} ${result.id} ${result.description}${result.status === 'passed' ? '' : `\n        ${result.reason}`}\n`);
      },
    });
    runs.push(run);
    const count = (status: string) => run.results.filter((r) => r.status === status).length;
    process.stdout.write(`  ${count('passed')} passed, ${count('failed')} failed, ${count('not-applicable')} not applicable in ${(run.durationMs / 1000).toFixed(1)} s\n`);
  }
  const out = path.resolve(values.out);
  await fs.mkdir(out, { recursive: true });
  await fs.writeFile(path.join(out, 'junit.xml'), junitReport(runs));
  await fs.writeFile(path.join(out, 'report.html'), htmlReport(runs));
  await fs.writeFile(path.join(out, 'results.json'), `${JSON.stringify(runs, null, 2)}\n`);
  process.stdout.write(`Reports: ${path.join(out, 'junit.xml')}, ${path.join(out, 'report.html')}\n`);
  if (runs.some((run) => run.results.some((r) => r.status === 'failed'))) process.exitCode = 1;
}
