import { x509 } from '../../../platform/tls/index.ts';

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
      tls_client_auth_subject_dn: rfc4514SubjectOf(input.transportCertificatePem),
    },
    messageSigning: { iss: `${input.organisationId}/${input.softwareId}`, tan: new URL('/directory/v1/jwks', base).host },
  };
}

/**
 * RFC 4514 §2.1: the RDNs last first, joined by commas; attribute types without a short name in
 * RFC 4514 §3 (organizationIdentifier, 2.5.4.97) as dotted OIDs; values escaped as §2.4 requires.
 * The first certificate of a PEM chain is the leaf.
 */
function rfc4514SubjectOf(certificatePem: string): string {
  const rdns = new x509.X509Certificate(certificatePem).subjectName.toJSON();
  return [...rdns]
    .reverse()
    .map((rdn) =>
      Object.entries(rdn)
        .flatMap(([type, values]) => values.map((value) => `${type}=${escapeValue(value)}`))
        .join('+'),
    )
    .join(',');
}

function escapeValue(value: string): string {
  return value
    .replace(/[\\"+,;<>]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ')
    .replaceAll('\u0000', '\\00');
}
