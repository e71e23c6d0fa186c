import { z } from 'zod';
import type { TppRole } from '../directory-model.ts';
import type { ParsedRegister } from './eba-register.ts';
import type { RegisterEntity } from './register-model.ts';
import { psd2OrganizationIdentifier } from './organization-identifier.ts';

/**
 * The EBA Credit Institutions Register (CIR, CRD Art. 20(2)) as its search on the EBA's EUCLID site
 * answers: a JSON array of records, each holding its entity in `_payload` (a record may also be the
 * entity itself). The EBA publishes no download of this register and no description of its
 * format; the structure read here is the one observed by the public code that reads it (see
 * docs/configuration.md, "Registers"). An entity names its competent authority (`CA_OwnerID`, e.g.
 * `DE_BAFIN`), its `EntityCode` and `EntityType` — `CRD_CRE_INS` a credit institution,
 * `CRD_EEA_BRA` a branch of one in another EEA country, `CRD_NON_EEA_BRA` a branch of a
 * third-country credit institution — and a list of one-key `Properties`: `ENT_NAM`,
 * `ENT_NAT_REF_COD` (the authorisation number the competent authority notified), `ENT_COU_RES`,
 * `ENT_AUT` (the dates its authorisations started and ended, in turn) and, for an EEA branch,
 * `ENT_COD_CRE_INS_EST_BRA`, the code of the credit institution that established it.
 */

/**
 * A credit institution may provide every payment service: CRD Annex I point 4 lists the payment
 * services of PSD2 Art. 4(3) (Annex I: 5 issuing of payment instruments, 7 payment initiation,
 * 8 account information) among the activities its authorisation covers, and PSD2 Art. 1(1)(a)
 * makes it a payment service provider. The register does not list activities one by one.
 */
const CREDIT_INSTITUTION_ROLES: readonly TppRole[] = ['AISP', 'CBPII', 'PISP'];

const CREDIT_INSTITUTION = 'CRD_CRE_INS';
const EEA_BRANCH = 'CRD_EEA_BRA';
/** Authorised by the competent authority of the country it is in (CRD Art. 47); it does not passport. */
const THIRD_COUNTRY_BRANCH = 'CRD_NON_EEA_BRA';

const propertyValue = z.union([z.string(), z.array(z.string())]);
const cirEntity = z.object({
  CA_OwnerID: z.string().min(1),
  EntityCode: z.string().min(1),
  EntityType: z.string().min(1),
  Properties: z.array(z.record(z.string(), propertyValue)),
});
type CirEntity = z.infer<typeof cirEntity>;

/** Reads the register's JSON; throws when it is not the register's answer at all. */
export function parseCreditInstitutionsRegister(json: string, onProgress?: (done: number, total: number) => void): ParsedRegister {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    throw new Error(`the EBA Credit Institutions Register answer is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!Array.isArray(document)) throw new Error('the EBA Credit Institutions Register answer is not its format: an array of records');
  const malformed: string[] = [];
  let ignored = 0;
  const institutions: CirEntity[] = [];
  const branches: CirEntity[] = [];
  document.forEach((record: unknown, index) => {
    if (index % 5000 === 0) onProgress?.(index, document.length);
    const raw = record !== null && typeof record === 'object' && '_payload' in record ? record._payload : record;
    const parsed = cirEntity.safeParse(raw);
    if (!parsed.success) {
      malformed.push(`entry ${index}: ${parsed.error.issues[0]?.path.join('.') || 'entry'} ${parsed.error.issues[0]?.message ?? ''}`.trim());
      return;
    }
    const { EntityType } = parsed.data;
    if (EntityType === CREDIT_INSTITUTION || EntityType === THIRD_COUNTRY_BRANCH) institutions.push(parsed.data);
    else if (EntityType === EEA_BRANCH) branches.push(parsed.data);
    // The search answers other EUCLID registers' records too (e.g. the PSD2 register's): not this one's.
    else ignored += 1;
  });
  if (!institutions.some((entity) => entity.EntityType === CREDIT_INSTITUTION)) {
    throw new Error('the EBA Credit Institutions Register answer lists no credit institution (CRD_CRE_INS): nothing is changed');
  }
  const entities = new Map<string, RegisterEntity>();
  /** An institution by its EntityCode and by its own code (`ENT_COD`, its LEI), as branches name it. */
  const establishing = new Map<string, RegisterEntity>();
  for (const raw of institutions) {
    const entity = entityOf(raw);
    if (typeof entity === 'string') {
      malformed.push(`${raw.EntityCode}: ${entity}`);
      continue;
    }
    entities.set(raw.EntityCode, entity);
    if (raw.EntityType !== CREDIT_INSTITUTION) continue;
    establishing.set(raw.EntityCode, entity);
    const [ownCode] = propertyOf(raw, 'ENT_COD');
    if (ownCode) establishing.set(ownCode, entity);
  }
  for (const branch of branches) {
    const note = passport(branch, establishing, entities);
    if (note === 'closed') ignored += 1;
    else if (note) malformed.push(`${branch.EntityCode}: ${note}`);
  }
  onProgress?.(document.length, document.length);
  return { entities: [...entities.values()], ignored, malformed };
}

function propertyOf(raw: CirEntity, name: string): string[] {
  const value = raw.Properties.find((item) => name in item)?.[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** `ENT_AUT` lists when authorisations started and ended, in turn: an odd count is authorised now. */
function authorisationOf(raw: CirEntity): { authorised: boolean; dates: string[] } | undefined {
  const dates = propertyOf(raw, 'ENT_AUT').sort();
  return dates.length === 0 ? undefined : { authorised: dates.length % 2 === 1, dates };
}

function entityOf(raw: CirEntity): RegisterEntity | string {
  const [name] = propertyOf(raw, 'ENT_NAM');
  const [reference] = propertyOf(raw, 'ENT_NAT_REF_COD');
  const [country] = propertyOf(raw, 'ENT_COU_RES');
  if (!name || !reference || !country) return 'ENT_NAM, ENT_NAT_REF_COD and ENT_COU_RES are required';
  const [authorityCountry, authority] = raw.CA_OwnerID.split('_', 2);
  if (!authority || authorityCountry !== country.toUpperCase()) return `CA_OwnerID ${raw.CA_OwnerID} does not name an authority of ${country}`;
  // Without its dates a withdrawn authorisation cannot be told from a current one: not trusted.
  const authorisation = authorisationOf(raw);
  if (!authorisation) return 'ENT_AUT is required: without it the authorisation cannot be told from a withdrawn one';
  const { authorised, dates } = authorisation;
  const homeCountry = country.toUpperCase();
  return {
    register: 'CIR',
    entityCode: raw.EntityCode,
    // RTS (EU) 2018/389 Art. 34(2): a credit institution's certificates carry the authorisation
    // number notified under CRD Art. 8 and 20, with its competent authority (ETSI TS 119 495 §5.2.1).
    organizationIdentifier: psd2OrganizationIdentifier(homeCountry, authority, reference),
    name,
    entityType: raw.EntityType,
    homeCountry,
    authorised,
    authorisedFrom: authorised ? dates.at(-1) : dates.at(-2),
    withdrawnOn: authorised ? undefined : dates.at(-1),
    services: { [homeCountry]: [...CREDIT_INSTITUTION_ROLES] },
  };
}

/**
 * An EEA branch open now passports its credit institution's services to the branch's country
 * (CRD Art. 35–36); a closed one passports nothing. Returns why a branch cannot be read, `closed`
 * for one that is closed, or nothing once the passport is added.
 */
function passport(branch: CirEntity, establishing: ReadonlyMap<string, RegisterEntity>, entities: Map<string, RegisterEntity>): string | undefined {
  const [code] = propertyOf(branch, 'ENT_COD_CRE_INS_EST_BRA');
  const [country] = propertyOf(branch, 'ENT_COU_RES');
  if (!code || !country) return 'ENT_COD_CRE_INS_EST_BRA and ENT_COU_RES are required of a branch';
  const authorisation = authorisationOf(branch);
  if (!authorisation) return 'ENT_AUT is required: without it an open branch cannot be told from a closed one';
  if (!authorisation.authorised) return 'closed';
  const institution = establishing.get(code);
  if (!institution) return `its credit institution ${code} is not listed`;
  const host = country.toUpperCase();
  if (host === institution.homeCountry) return `a branch in ${host}, its credit institution's home country`;
  const current = entities.get(institution.entityCode) ?? institution;
  entities.set(institution.entityCode, { ...current, services: { ...current.services, [host]: [...CREDIT_INSTITUTION_ROLES] } });
  return undefined;
}
