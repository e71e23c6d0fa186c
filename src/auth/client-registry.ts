import { sql } from 'kysely';
import { errors, type Adapter, type ClientMetadata, type Provider } from 'oidc-provider';
import { ownTables, type Db } from '../platform/db/index.ts';
import type { AuthTables } from './infra/auth.tables.ts';
import { registerClient } from './register-client.ts';
import { subjectDnMatches } from './subject-dn-matches.ts';
import { subjectDnOf } from './subject-dn-of.ts';

type Metadata = Record<string, unknown>;

/** The adapter oidc-provider uses for a model kind (`provider.AccessToken.adapter`, …). */
function modelAdapter(provider: Provider, kind: string): Adapter | undefined {
  const model = (provider as unknown as Record<string, { adapter?: Adapter } | undefined>)[kind];
  return model?.adapter;
}

/** The authorisation server as the client-registration module sees it (its ClientRegistry port). */
export interface ClientRegistryAdapter {
  save(metadata: Metadata): Promise<{ ok: true; metadata: Metadata } | { ok: false; error: 'invalid_redirect_uri' | 'invalid_client_metadata'; description: string }>;
  find(clientId: string): Promise<Metadata | undefined>;
  remove(clientId: string): Promise<void>;
  findClientCredentialsToken(value: string): Promise<{ clientId: string; certificateThumbprint: string | undefined } | undefined>;
  subjectDnMatches(certificatePem: string, subjectDn: string): boolean;
  subjectDnOf(certificatePem: string): string;
}

/**
 * Clients through oidc-provider's own model (validation, defaults, the adapter), so the facade
 * stores exactly what the provider's registration would; tokens through its ClientCredentials model.
 */
export function createClientRegistry(provider: Provider, database: Db): ClientRegistryAdapter {
  const db = ownTables<AuthTables>(database);
  return {
    async save(metadata) {
      try {
        return { ok: true, metadata: (await registerClient(provider, metadata as ClientMetadata)) as Metadata };
      } catch (error) {
        if (error instanceof errors.InvalidRedirectUri) return { ok: false, error: 'invalid_redirect_uri', description: error.error_description ?? error.message };
        if (error instanceof errors.InvalidClientMetadata) return { ok: false, error: 'invalid_client_metadata', description: error.error_description ?? error.message };
        throw error;
      }
    },

    async find(clientId) {
      return (await modelAdapter(provider, 'Client')?.find(clientId)) as Metadata | undefined;
    },

    /**
     * RFC 7592 §2.3: the client goes, then everything issued to it (tokens, codes, grants, PAR
     * objects: every oidc-provider model that records a clientId). The client first, so nothing new
     * can be issued meanwhile; through the models' adapters, so caches in front of the storage hear
     * of it. A scan of oidc_payloads, acceptable for a rare, TPP-initiated operation.
     */
    async remove(clientId) {
      await modelAdapter(provider, 'Client')?.destroy(clientId);
      const issued = await db
        .selectFrom('oidc_payloads')
        .select(['kind', 'id'])
        .where(sql<string>`payload->>'clientId'`, '=', clientId)
        .where('kind', '<>', 'Client')
        .execute();
      for (const { kind, id } of issued) {
        const adapter = modelAdapter(provider, kind);
        if (adapter) await adapter.destroy(id);
        else await db.deleteFrom('oidc_payloads').where('kind', '=', kind).where('id', '=', id).execute();
      }
    },

    async findClientCredentialsToken(value) {
      const token = await provider.ClientCredentials.find(value);
      if (!token || token.isExpired || typeof token.clientId !== 'string') return undefined;
      const thumbprint = (token as unknown as { 'x5t#S256'?: unknown })['x5t#S256'];
      return { clientId: token.clientId, certificateThumbprint: typeof thumbprint === 'string' ? thumbprint : undefined };
    },

    subjectDnMatches,
    subjectDnOf,
  };
}
