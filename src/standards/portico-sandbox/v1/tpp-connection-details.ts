import { subjectDnOf } from '../../../auth/index.ts';

/** What the onboarding response adds to the DESIGN.md §3 fields: the values a TPP's first calls need. */
export interface TppConnectionDetails {
  /** OB DCR v3.4 registration request: where it goes, its `aud`, and the subject DN claim for `tls_client_auth`. */
  readonly registration: {
    readonly registrationEndpoint: string;
    readonly tokenEndpoint: string;
    readonly aud: string;
    readonly tls_client_auth_subject_dn: string;
  };
  /** OB message signing: the `http://openbanking.org.uk/iss` and `…/tan` header claims of `x-jws-signature`. */
  readonly messageSigning: { readonly iss: string; readonly tan: string };
}

export interface ConnectionDetailsInput {
  readonly organisationId: string;
  readonly softwareId: string;
  readonly transportCertificatePem: string;
  /** The issuer: the public base URL. */
  readonly publicUrl: string;
}

/**
 * The values a TPP would otherwise have to work out itself, exactly as this platform checks them:
 * the registration `aud` (the issuer), `tls_client_auth_subject_dn` (RFC 8705 §2.1.2) of the
 * transport certificate, and the JWS `iss` (`{org_id}/{software_id}`) and `tan` (the host of the
 * directory's JWKS endpoints) of OB message signing.
 */
export function tppConnectionDetails(input: ConnectionDetailsInput): TppConnectionDetails {
  const base = input.publicUrl.replace(/\/+$/, '');
  return {
    registration: {
      registrationEndpoint: `${base}/register`,
      tokenEndpoint: `${base}/token`,
      aud: base,
      tls_client_auth_subject_dn: subjectDnOf(input.transportCertificatePem),
    },
    messageSigning: { iss: `${input.organisationId}/${input.softwareId}`, tan: new URL('/directory/v1/jwks', base).host },
  };
}
