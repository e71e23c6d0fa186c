import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config/index.ts';
import { x509 } from '../platform/tls/index.ts';
import { createDirectoryModule, ORGANISATION_STATUSES, REVOCATION_REASONS, type OrganisationStatus, type RevocationReason } from '../modules/directory/index.ts';
import { CliError } from './cli-errors.ts';
import { withDatabase } from './embedded-database.ts';
import { withCache } from './shared-cache.ts';

/** The serial number (hex) of the first certificate in a PEM file: a TPP's leaf comes before its chain. */
async function serialNumberOf(file: string): Promise<string> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read --pem ${file}: ${(error as Error).message}`, 2);
  }
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text)?.[0];
  if (!pem) throw new CliError(`--pem ${file} holds no PEM certificate`, 2);
  try {
    return new x509.X509Certificate(pem).serialNumber.toLowerCase();
  } catch {
    throw new CliError(`--pem ${file} holds a certificate that cannot be parsed`, 2);
  }
}

/**
 * `portico directory revoke-certificate --pem FILE [--reason R]`: revokes a TPP certificate
 * issued by the sandbox QTSP; its TPP is refused from the next request and the CRL lists it.
 */
export async function directoryRevokeCertificateCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { pem: { type: 'string' }, reason: { type: 'string' } }, strict: true });
  if (!values.pem) throw new CliError('--pem is required (the certificate to revoke, e.g. transport.pem)', 2);
  const reason = (values.reason ?? 'unspecified') as RevocationReason;
  if (!REVOCATION_REASONS.includes(reason)) throw new CliError(`--reason must be one of ${REVOCATION_REASONS.join(', ')} (got "${values.reason}")`, 2);
  const serialNumber = await serialNumberOf(values.pem);
  const config = loadConfig();
  await withDatabase(config, {
    direct: ({ db }) => withCache(config, (cache) => createDirectoryModule({ db, cache }).revokeCertificate(serialNumber, reason)),
    viaServer: async (server) => {
      await server.request('POST', '/sandbox/v1/operator/certificate-revocations', { body: { serialNumber, reason }, operator: true });
    },
  });
  process.stdout.write(`Revoked certificate ${serialNumber} (${reason}).\n`);
}

/**
 * `portico directory organisation-status ORG_ID Active|Suspended|Revoked`: suspends, revokes or
 * reinstates a TPP organisation; its certificates are refused (or accepted again) from its next request.
 */
export async function directoryOrganisationStatusCommand(args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  const [organisationId, statusText, ...extra] = positionals;
  if (!organisationId || !statusText || extra.length > 0) throw new CliError(`usage: portico directory organisation-status ORG_ID ${ORGANISATION_STATUSES.join('|')}`, 2);
  const status = ORGANISATION_STATUSES.find((candidate) => candidate.toLowerCase() === statusText.toLowerCase());
  if (!status) throw new CliError(`the status must be one of ${ORGANISATION_STATUSES.join(', ')} (got "${statusText}")`, 2);
  if (!/^[0-9A-Za-z]{1,18}$/.test(organisationId)) throw new CliError(`ORG_ID must be 1 to 18 letters or digits (got "${organisationId}")`, 2);
  const config = loadConfig();
  const changed: OrganisationStatus = await withDatabase(config, {
    direct: ({ db }) => withCache(config, async (cache) => (await createDirectoryModule({ db, cache }).setOrganisationStatus(organisationId, status)).status),
    viaServer: async (server) => {
      const answer = (await server.request('PUT', `/sandbox/v1/operator/organisations/${organisationId}/status`, { body: { status }, operator: true })) as { status: OrganisationStatus };
      return answer.status;
    },
  });
  process.stdout.write(`Organisation ${organisationId} is ${changed}.\n`);
}
