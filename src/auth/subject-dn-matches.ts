import { x509 } from '../platform/tls/index.ts';

/** Attribute type keywords (RFC 4514 §3, RFC 4519, ETSI EN 319 412-1) to OIDs. */
const ATTRIBUTE_OIDS: Record<string, string> = {
  CN: '2.5.4.3',
  COMMONNAME: '2.5.4.3',
  SN: '2.5.4.4',
  SURNAME: '2.5.4.4',
  SERIALNUMBER: '2.5.4.5',
  C: '2.5.4.6',
  COUNTRYNAME: '2.5.4.6',
  L: '2.5.4.7',
  LOCALITYNAME: '2.5.4.7',
  ST: '2.5.4.8',
  STATEORPROVINCENAME: '2.5.4.8',
  STREET: '2.5.4.9',
  STREETADDRESS: '2.5.4.9',
  O: '2.5.4.10',
  ORGANIZATIONNAME: '2.5.4.10',
  OU: '2.5.4.11',
  ORGANIZATIONALUNITNAME: '2.5.4.11',
  T: '2.5.4.12',
  TITLE: '2.5.4.12',
  G: '2.5.4.42',
  GN: '2.5.4.42',
  GIVENNAME: '2.5.4.42',
  I: '2.5.4.43',
  INITIALS: '2.5.4.43',
  ORGANIZATIONIDENTIFIER: '2.5.4.97',
  DC: '0.9.2342.19200300.100.1.25',
  UID: '0.9.2342.19200300.100.1.1',
  E: '1.2.840.113549.1.9.1',
  EMAILADDRESS: '1.2.840.113549.1.9.1',
};

/** An RDN as a sorted list of `oid=value` strings (multi-valued RDNs are unordered sets). */
type Rdn = string[];

function oidOf(type: string): string {
  const trimmed = type.trim();
  if (/^\d+(\.\d+)+$/.test(trimmed)) return trimmed;
  return ATTRIBUTE_OIDS[trimmed.toUpperCase()] ?? trimmed.toUpperCase();
}

/** Directory strings compare case-insensitively with insignificant spaces removed (RFC 4518 §2.6.1). */
function normaliseValue(value: string): string {
  return value.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function ava(type: string, value: string): string {
  return `${oidOf(type)}=${normaliseValue(value)}`;
}

/** Splits on `separators` that are not escaped with a backslash. */
function splitUnescaped(text: string, separators: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\\' && i + 1 < text.length) {
      current += char + text[i + 1];
      i++;
    } else if (separators.includes(char)) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/** RFC 4514 §2.4 escapes: `\,` style and `\XX` hex pairs (UTF-8 bytes). */
function unescapeValue(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (char === '\\' && /^[0-9a-fA-F]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (char === '\\' && i + 1 < value.length) {
      bytes.push(...Buffer.from(value[i + 1]!, 'utf8'));
      i++;
    } else {
      bytes.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Parses an RFC 4514 string; undefined when it is not one. */
function parseDn(dn: string): Rdn[] | undefined {
  if (dn.trim() === '') return undefined;
  const rdns: Rdn[] = [];
  for (const rdnText of splitUnescaped(dn, ',;')) {
    const avas: string[] = [];
    for (const avaText of splitUnescaped(rdnText, '+')) {
      const eq = avaText.indexOf('=');
      if (eq <= 0) return undefined;
      avas.push(ava(avaText.slice(0, eq), unescapeValue(avaText.slice(eq + 1))));
    }
    rdns.push(avas.sort());
  }
  return rdns;
}

function certificateSubject(certificatePem: string): Rdn[] {
  const name = new x509.X509Certificate(certificatePem).subjectName;
  return name.toJSON().map((rdn) => Object.entries(rdn).flatMap(([type, values]) => values.map((value) => ava(type, value))).sort());
}

function sameRdns(a: Rdn[], b: Rdn[]): boolean {
  return a.length === b.length && a.every((rdn, i) => rdn.length === b[i]!.length && rdn.every((value, j) => value === b[i]![j]));
}

/**
 * Whether a certificate's subject is the registered `tls_client_auth_subject_dn` (RFC 8705 §2.1.2:
 * an RFC 4514 string). RFC 4514 writes RDNs last-first while most tools (and OB's own examples)
 * print them in certificate order, so either order is accepted; attribute keywords, OIDs, case and
 * insignificant spaces do not matter. Attribute types and values must otherwise match exactly.
 */
export function subjectDnMatches(certificatePem: string, expectedDn: string): boolean {
  const expected = parseDn(expectedDn);
  if (!expected) return false;
  const actual = certificateSubject(certificatePem);
  return sameRdns(actual, expected) || sameRdns([...actual].reverse(), expected);
}
