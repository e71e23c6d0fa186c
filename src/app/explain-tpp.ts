import { findRegisteredClients, type RegisteredClient } from '../auth/index.ts';
import type { Db } from '../platform/db/index.ts';
import type { CertificateUsage, DirectoryApi, RegistersApi, RegisterStanding, TppDirectory, TrustStep } from '../modules/directory/index.ts';
import { TrustTrace } from '../modules/directory/index.ts';

/** A certificate to explain: where it came from, and its PEM. */
export interface CertificateToExplain {
  readonly source: string;
  readonly pem: string;
  readonly usage?: CertificateUsage;
}

export interface CertificateExplanation {
  readonly source: string;
  readonly usage: CertificateUsage;
  /** Each check the directory adapter (and the registers) made, in order, by the decision itself. */
  readonly steps: readonly TrustStep[];
  readonly verdict: { readonly ok: true; readonly roles: readonly string[] } | { readonly ok: false; readonly code: string; readonly status: number; readonly message: string };
}

export interface TppExplanation {
  readonly query: string;
  readonly clients: readonly RegisteredClient[];
  readonly certificates: readonly CertificateExplanation[];
  /** What the registers say of the organizationIdentifier asked about, when registers are held. */
  readonly registers: { readonly country: string; readonly organizationIdentifier: string; readonly standing: RegisterStanding } | undefined;
}

export interface ExplainTppDeps {
  readonly db: Db;
  /** The directory adapter of this configuration, registers included: the one requests go through. */
  readonly directory: TppDirectory | undefined;
  /** The sandbox directory's records, for the certificates its QTSP issued (sandbox mode). */
  readonly sandbox: DirectoryApi | undefined;
  readonly registers: RegistersApi | undefined;
  readonly country: string;
}

/**
 * Why the platform trusts a TPP or not, now: its registered clients (by client id or org_id), and
 * for each certificate — those given, and in sandbox mode those the sandbox QTSP issued to the
 * organisation — the checks the configured directory makes, recorded by the decision itself, with
 * the verdict. A query that is an organizationIdentifier (`PSD…`) shows what the registers say.
 */
export async function explainTpp(deps: ExplainTppDeps, query: string, given: readonly CertificateToExplain[]): Promise<TppExplanation> {
  const clients = await findRegisteredClients(deps.db, query);
  const organisationIds = [...new Set([query, ...clients.map((client) => client.organisationId).filter((id): id is string => id !== undefined)])];
  const issued = deps.sandbox ? (await Promise.all(organisationIds.map((id) => deps.sandbox!.organisationCertificates(id)))).flat() : [];
  const certificates: CertificateToExplain[] = [...given, ...issued.map((record) => ({ source: `sandbox QTSP, ${record.usage} ${record.serialNumber}`, pem: record.pem, usage: record.usage }))];
  const explanations: CertificateExplanation[] = [];
  for (const certificate of certificates) {
    const usage = certificate.usage ?? 'transport';
    const trace = new TrustTrace();
    const verdict = deps.directory
      ? await deps.directory.validateCertificate(certificate.pem, { usage, trace })
      : undefined;
    explanations.push({
      source: certificate.source,
      usage,
      steps: trace.steps,
      verdict: !verdict
        ? { ok: false, code: 'NO_DIRECTORY', status: 503, message: 'no directory is configured: no TPP can be trusted' }
        : verdict.ok
          ? { ok: true, roles: verdict.roles }
          : { ok: false, code: verdict.error.code, status: verdict.error.status, message: verdict.error.message },
    });
  }
  const registers =
    deps.registers && /^PSD[A-Z]{2}-/.test(query) ? { country: deps.country, organizationIdentifier: query, standing: await deps.registers.standing(query, deps.country) } : undefined;
  return { query, clients, certificates: explanations, registers };
}
