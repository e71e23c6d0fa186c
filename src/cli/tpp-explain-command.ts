import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config/index.ts';
import { createDirectoryModule, createRegistersModule, createTrustedListsModule, type CertificateUsage, type StoredRegisterEntity } from '../modules/directory/index.ts';
import { createTppDirectory } from '../app/create-tpp-directory.ts';
import { explainTpp, type TppExplanation } from '../app/explain-tpp.ts';
import { loadKeySealer } from '../app/key-sealer.ts';
import { CliError } from './cli-errors.ts';
import { withDatabase } from './embedded-database.ts';
import { withCache } from './shared-cache.ts';

/** One register's entry: which register, its code, kind, home, authorisation and roles per country. */
function describeEntry(entity: StoredRegisterEntity): string {
  const since = entity.authorised ? `authorised since ${entity.authorisedFrom ?? '?'}` : `withdrawn ${entity.withdrawnOn ?? '?'}${entity.listed ? '' : ' (no longer listed)'}`;
  const services = Object.keys(entity.services)
    .sort((a, b) => (a === entity.homeCountry ? -1 : b === entity.homeCountry ? 1 : a.localeCompare(b)))
    .map((country) => `${country} ${entity.services[country]!.join('+')}`)
    .join(', ');
  return `${entity.register} ${entity.entityCode}  ${entity.name}  ${entity.entityType}, home ${entity.homeCountry}, ${since}; roles ${services || 'none'}`;
}

/** The explanation as an operator reads it. */
export function formatExplanation(explanation: TppExplanation): string {
  const lines: string[] = [`TPP ${explanation.query}`];
  lines.push(explanation.clients.length === 0 ? 'Registered clients: none' : 'Registered clients:');
  for (const client of explanation.clients) {
    lines.push(`  ${client.clientId}  ${client.clientName ?? ''}  org ${client.organisationId ?? '?'}  software ${client.softwareId ?? '?'}  scopes ${client.scope ?? ''}`.replace(/ {3,}/g, '  '));
    if (client.subjectDn) lines.push(`    certificate subject ${client.subjectDn}`);
  }
  if (explanation.registers) {
    const { standing, country, organizationIdentifier } = explanation.registers;
    const roles = standing.status === 'authorised' ? ` (${standing.basis}): ${standing.roles.join(', ')}` : '';
    lines.push(`Registers for ${country}: ${organizationIdentifier} ${standing.status}${roles}`);
    for (const entity of standing.status === 'unknown' ? [] : standing.entities) lines.push(`  ${describeEntry(entity)}`);
  }
  if (explanation.certificates.length === 0) lines.push('Certificates: none known; give one with --pem FILE');
  for (const certificate of explanation.certificates) {
    lines.push(`Certificate (${certificate.usage}) from ${certificate.source}:`);
    const width = Math.max(...certificate.steps.map((step) => step.check.length), 0);
    for (const step of certificate.steps) lines.push(`  ${step.ok ? '✓' : '✗'} ${step.check.padEnd(width)}  ${step.detail}`);
    const { verdict } = certificate;
    lines.push(verdict.ok ? `  Verdict: TRUSTED, roles ${verdict.roles.join(', ')}` : `  Verdict: REFUSED (${verdict.status} ${verdict.code}): ${verdict.message}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `portico tpp explain <client-id|org-id|organizationIdentifier> [--pem FILE]… [--usage transport|signing] [--json]`:
 * why the platform trusts a TPP or not, now, through the directory and registers it is configured with.
 */
export async function tppExplainCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { pem: { type: 'string', multiple: true }, usage: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const [query] = positionals;
  if (!query || positionals.length > 1) throw new CliError('usage: portico tpp explain <client-id|org-id|organizationIdentifier> [--pem FILE] [--usage transport|signing] [--json]', 2);
  const usage = values.usage ?? 'transport';
  if (usage !== 'transport' && usage !== 'signing') throw new CliError(`--usage must be transport or signing (got "${values.usage}")`, 2);
  const certificateUsage: CertificateUsage = usage;
  const given = await Promise.all(
    (values.pem ?? []).map(async (file) => {
      const pem = await fs.readFile(file, 'utf8').catch((error: unknown) => {
        throw new CliError(`cannot read --pem ${file}: ${(error as Error).message}`, 2);
      });
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new CliError(`--pem ${file} holds no PEM certificate`, 2);
      return { source: file, pem, usage: certificateUsage };
    }),
  );
  const config = loadConfig();
  const sealer = await loadKeySealer(config);
  const explanation = await withDatabase(config, {
    direct: ({ db }) =>
      withCache(config, async (cache) => {
        const directoryModule = createDirectoryModule({ db, cache, sealer });
        const qtsp = config.sandbox.enabled ? await directoryModule.loadOrCreateSandboxQtsp() : undefined;
        const registers = createRegistersModule({ db, cache });
        const trustedLists = createTrustedListsModule({ db, cache });
        const trust = await createTppDirectory(config, { ownDirectory: directoryModule, qtsp, cache, registers, trustedLists });
        try {
          return await explainTpp(
            { db, directory: trust.directory, sandbox: qtsp ? directoryModule : undefined, registers: config.registers.enabled.length > 0 ? registers : undefined, country: config.registers.country },
            query,
            given,
          );
        } finally {
          await trust.close();
        }
      }),
  });
  process.stdout.write(values.json ? `${JSON.stringify(explanation, null, 2)}\n` : formatExplanation(explanation));
}
