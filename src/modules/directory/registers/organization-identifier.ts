/**
 * ETSI TS 119 495 §5.2.1 and §5.2.2: "PSD", the two-letter country of the NCA, "-", the NCA's
 * short name (A–Z, no separator), "-", the authorisation number the NCA gave, e.g.
 * `PSDDE-BAFIN-123456`. Registers spell the NCA in their own way (EBA `DE_BAFIN`, `FI_FIN-FSA`),
 * so the short name is reduced to its letters and digits, upper case.
 */
export function psd2OrganizationIdentifier(country: string, ncaShortName: string, authorisationNumber: string): string {
  return `PSD${country.toUpperCase()}-${ncaShortName.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}-${authorisationNumber.trim()}`;
}
