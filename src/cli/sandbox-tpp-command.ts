import { loadKeySealer } from '../app/key-sealer.ts';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config/index.ts';
import { MemoryCache } from '../platform/cache/index.ts';
import { createDirectoryModule, type OnboardedTpp } from '../modules/directory/index.ts';
import { CliError } from './cli-errors.ts';
import { withDatabase } from './embedded-database.ts';

/**
 * `portico sandbox tpp create --name … --roles AISP,PISP --redirect-uri … --out DIR`: the same
 * onboarding as `POST /sandbox/v1/tpps`, written to files a TPP client can use directly. While a
 * server holds the embedded database, the onboarding is that server's `POST /sandbox/v1/tpps`.
 */
export async function sandboxTppCreateCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      roles: { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      out: { type: 'string' },
    },
    strict: true,
  });
  if (!values.name) throw new CliError('--name is required', 2);
  if (!values.roles) throw new CliError('--roles is required (e.g. AISP,PISP,CBPII)', 2);
  if (!values['redirect-uri']?.length) throw new CliError('--redirect-uri is required (repeat it for several)', 2);
  if (!values.out) throw new CliError('--out is required (a folder for the credentials)', 2);

  const config = loadConfig();
  const request = {
    organisationName: values.name,
    roles: values.roles.split(',').map((role) => role.trim().toUpperCase()),
    redirectUris: values['redirect-uri'],
  };
  const { tpp, qtspRootPem } = await withDatabase(config, {
    async direct(database) {
      // Onboarding retires nothing the instances remember, so no shared cache is needed.
      const directory = createDirectoryModule({ db: database.db, cache: new MemoryCache(), sealer: await loadKeySealer(config) });
      const qtsp = await directory.loadOrCreateSandboxQtsp();
      const onboarded = await directory.onboardSandboxTpp(qtsp, { ...request, publicUrl: config.http.publicUrl });
      return { tpp: onboarded, qtspRootPem: qtsp.rootCertificatePem };
    },
    async viaServer(server) {
      const onboarded = (await server.request('POST', '/sandbox/v1/tpps', { body: request })) as OnboardedTpp;
      return { tpp: onboarded, qtspRootPem: String(await server.request('GET', '/directory/v1/qtsp/root.pem')) };
    },
  });
  const out = path.resolve(values.out);
  await fs.mkdir(out, { recursive: true, mode: 0o700 });
  const files: Array<[string, string, number]> = [
    ['tpp.json', `${JSON.stringify(tpp, null, 2)}\n`, 0o600],
    ['ssa.jwt', `${tpp.softwareStatement}\n`, 0o644],
    ['transport.pem', tpp.transport.certificatePem, 0o644],
    ['transport.key', tpp.transport.privateKeyPem, 0o600],
    ['signing.pem', tpp.signing.certificatePem, 0o644],
    ['signing.key', tpp.signing.privateKeyPem, 0o600],
    ['qtsp-root.pem', qtspRootPem, 0o644],
  ];
  for (const [name, content, mode] of files) await fs.writeFile(path.join(out, name), content, { mode });
  process.stdout.write(
    [
      `Onboarded "${values.name}"`,
      `  organisation id   ${tpp.organisationId}`,
      `  software id       ${tpp.softwareId}`,
      `  signing kid       ${tpp.signing.kid}`,
      `  credentials in    ${out} (${files.map(([name]) => name).join(', ')})`,
      '',
    ].join('\n'),
  );
}
