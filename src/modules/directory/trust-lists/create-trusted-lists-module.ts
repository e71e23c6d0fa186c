import type { Cache } from '../../../platform/cache/index.ts';
import type { Db } from '../../../platform/db/index.ts';
import type { x509 } from '../../../platform/tls/index.ts';
import { forgetDirectoryVerdicts } from '../directory-verdicts.ts';
import { createKyselyTrustedListsRepository } from '../infra/kysely-trusted-lists-repository.ts';
import { importCaSet, importTrustedLists, type ImportOptions, type TrustedListOutcome, type TrustedListSource } from './import-trusted-lists.ts';
import { findQualifiedIssuer, type QualifiedIssuer } from './qualified-issuer.ts';
import type { QualifiedUse } from './trusted-list-model.ts';
import type { HeldTrustedList } from './trusted-lists.repository.port.ts';

/** The trusted lists Portico holds and the qualified CAs they name. */
export interface TrustedListsApi {
  /** Imports the LOTL's lists; an import that changed any retires every instance's remembered verdicts. */
  importLists(source: TrustedListSource, lotlSignerPems: readonly string[], options?: ImportOptions): Promise<TrustedListOutcome[]>;
  /** A configured CA set (the UK's) as the territory's list. */
  importCaSet(territory: string, pems: readonly string[], source: string): Promise<TrustedListOutcome>;
  heldLists(): Promise<HeldTrustedList[]>;
  /** The qualified CA of a held list that issued the certificate for this use, granted at issuance. */
  qualifiedIssuer(certificate: x509.X509Certificate, use: QualifiedUse): Promise<QualifiedIssuer>;
}

export function createTrustedListsModule({ db, cache }: { readonly db: Db; readonly cache: Cache }): TrustedListsApi {
  const records = createKyselyTrustedListsRepository(db);
  return {
    async importLists(source, lotlSignerPems, options) {
      const outcomes = await importTrustedLists(records, source, lotlSignerPems, options);
      if (outcomes.some((outcome) => outcome.outcome === 'imported')) await forgetDirectoryVerdicts(cache);
      return outcomes;
    },
    async importCaSet(territory, pems, source) {
      const outcome = await importCaSet(records, territory, pems, source);
      await forgetDirectoryVerdicts(cache);
      return outcome;
    },
    heldLists: () => records.heldLists(),
    qualifiedIssuer: (certificate, use) => findQualifiedIssuer(records, certificate, use),
  };
}
