import type { Cache } from '../../platform/cache/index.ts';
import type { TppDirectory } from '../directory/index.ts';

/** RFC 7591 §2 client metadata, as the authorisation server stores it (snake_case members). */
export type ClientMetadata = Record<string, unknown>;

export type SaveClientResult =
  | { readonly ok: true; readonly metadata: ClientMetadata }
  | { readonly ok: false; readonly error: 'invalid_redirect_uri' | 'invalid_client_metadata'; readonly description: string };

/** A client-credentials access token as the authorisation server issued it. */
export interface ClientCredentialsToken {
  readonly clientId: string;
  /** RFC 8705 §3.1 `cnf.x5t#S256`: the certificate the token is bound to. */
  readonly certificateThumbprint: string | undefined;
}

/** What client registration needs from the authorisation server (src/auth implements it). */
export interface ClientRegistry {
  /** Validates and stores (creates or replaces) a client; the server may refuse the metadata. */
  save(metadata: ClientMetadata): Promise<SaveClientResult>;
  find(clientId: string): Promise<ClientMetadata | undefined>;
  /** Deletes the client and every token, code and grant issued to it (RFC 7592 §2.3). */
  remove(clientId: string): Promise<void>;
  /** An unexpired client-credentials access token, or undefined. */
  findClientCredentialsToken(value: string): Promise<ClientCredentialsToken | undefined>;
  /** RFC 8705 §2.1.2: whether a certificate's subject is the RFC 4514 `tls_client_auth_subject_dn`. */
  subjectDnMatches(certificatePem: string, subjectDn: string): boolean;
  /** The certificate's subject as the RFC 4514 string to register, for error messages. */
  subjectDnOf(certificatePem: string): string;
}

/** Everything the registration use cases run against. */
export interface ClientsContext {
  /** Who vouches for TPPs: their certificates, software statements and keys. */
  readonly directory: TppDirectory;
  /** Replay cache for registration request `jti`s, shared by every instance. */
  readonly cache: Cache;
  readonly registry: ClientRegistry;
  /** The authorisation server's issuer (the public base URL): the `aud` of registration requests. */
  readonly issuer: string;
  /** The bank's directory org_id, accepted as `aud` too (DESIGN.md §3). */
  readonly aspspOrganisationId: string | undefined;
  /** The FAPI profile of a client whose registration names none (default FAPI 1.0 Advanced Final). */
  readonly defaultFapiProfile?: '1.0 Final' | '2.0' | undefined;
  /**
   * Whether a registration request may come without a software statement, signed with the TPP's
   * QSealC (the eIDAS adapter: TPPs identified by their qualified certificates alone).
   */
  readonly registrationWithoutSoftwareStatement?: boolean;
  readonly now?: () => Date;
}
