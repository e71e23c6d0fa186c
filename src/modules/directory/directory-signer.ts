import { importPKCS8, SignJWT, type JWK, type JWTPayload } from 'jose';
import { publicJwkOf } from './public-jwk.ts';

/**
 * The directory's own signing key, which signs software statement assertions. An interface so a
 * production directory can sign in an HSM; the sandbox keeps the key in `directory_ca`.
 */
export interface DirectorySigner {
  readonly kid: string;
  /** Public JWK with kid, alg and use, as published in the directory JWKS. */
  readonly publicJwk: JWK;
  signJwt(claims: JWTPayload): Promise<string>;
}

/** OB Directory SSAs are PS256-signed JWTs (OB DCR v3.4 'Software Statement Assertion'). */
export async function createDirectorySigner(privateKeyPem: string, kid: string): Promise<DirectorySigner> {
  const key = await importPKCS8(privateKeyPem, 'PS256');
  return {
    kid,
    publicJwk: directoryPublicJwk(privateKeyPem, kid),
    signJwt: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'PS256', kid, typ: 'JWT' }).sign(key),
  };
}

export function directoryPublicJwk(privateKeyPem: string, kid: string): JWK {
  return { ...publicJwkOf(privateKeyPem), kid, alg: 'PS256', use: 'sig' };
}
