import { z } from 'zod';
import type { TppRole } from '../directory-model.ts';
import type { RegisterEntity } from './register-model.ts';
import { psd2OrganizationIdentifier } from './organization-identifier.ts';

/**
 * The EBA Central Register under PSD2 as the EBA publishes it for download (the "golden copy": a
 * ZIP holding one JSON file). The file is an array of two lists, file metadata and the entities; each
 * names its competent authority (`CA_OwnerID`, e.g. `DE_BAFIN`), its `EntityCode` and
 * `EntityType`, a list of one-key `Properties` (`ENT_NAM`, `ENT_NAT_REF_COD`, `ENT_COU_RES`,
 * `ENT_AUT`: the dates its authorisations started and ended, in turn) and `Services`: one entry
 * per country, its home country and each host country it passports to, listing PSD2 Annex I
 * service codes.
 */

/** PSD2 Annex I services that make a TPP role: 7 payment initiation, 8 account information. */
const ROLE_OF_SERVICE: Readonly<Record<string, TppRole>> = {
  PS_070: 'PISP',
  PS_080: 'AISP',
  // Annex I 5, issuing of payment instruments: a card-based payment instrument issuer (PSD2 Art. 65).
  PS_050: 'CBPII',
};

/** Agents and branches act for the institution that is authorised; they are not TPPs themselves. */
const NOT_AUTHORISED_THEMSELVES = new Set(['PSD_AG', 'PSD_BR', 'PSD_EMD_AG', 'EMD_AG', 'EMD_BR']);

const propertyValue = z.union([z.string(), z.array(z.string())]);
const ebaEntity = z.object({
  CA_OwnerID: z.string().min(1),
  EntityCode: z.string().min(1),
  EntityType: z.string().min(1),
  Properties: z.array(z.record(z.string(), propertyValue)),
  Services: z.array(z.record(z.string(), propertyValue)).optional(),
});
type EbaEntity = z.infer<typeof ebaEntity>;

export interface ParsedRegister {
  readonly entities: RegisterEntity[];
  /** Entries that are not TPPs (agents, branches) or offer none of the TPP services. */
  readonly ignored: number;
  /** Entries that do not have the published shape, by reason. */
  readonly malformed: readonly string[];
}

/** Reads the register's JSON; throws when the file is not the published format at all. */
export function parseEbaRegister(json: string, onProgress?: (done: number, total: number) => void): ParsedRegister {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    throw new Error(`the EBA register file is not JSON: ${(error as Error).message}`, { cause: error });
  }
  // The published file is `[[…file metadata], [...entities]]`: the entities are the longer list.
  const lists = Array.isArray(document) ? document.filter((part): part is unknown[] => Array.isArray(part)) : [];
  const list = lists.reduce<unknown[] | undefined>((longest, part) => (longest && longest.length >= part.length ? longest : part), undefined);
  if (!list) throw new Error('the EBA register file is not the published format: an array holding the list of entities');
  const entities: RegisterEntity[] = [];
  const malformed: string[] = [];
  let ignored = 0;
  list.forEach((raw, index) => {
    if (index % 5000 === 0) onProgress?.(index, list.length);
    const parsed = ebaEntity.safeParse(raw);
    if (!parsed.success) {
      malformed.push(`entry ${index}: ${parsed.error.issues[0]?.path.join('.') || 'entry'} ${parsed.error.issues[0]?.message ?? ''}`.trim());
      return;
    }
    const entity = entityOf(parsed.data);
    if (entity === undefined) ignored += 1;
    else if (typeof entity === 'string') malformed.push(`${parsed.data.EntityCode}: ${entity}`);
    else entities.push(entity);
  });
  onProgress?.(list.length, list.length);
  return { entities, ignored, malformed };
}

function entityOf(raw: EbaEntity): RegisterEntity | string | undefined {
  if (NOT_AUTHORISED_THEMSELVES.has(raw.EntityType)) return undefined;
  const property = (name: string): string[] => {
    const value = raw.Properties.find((item) => name in item)?.[name];
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
  };
  const services = servicesOf(raw.Services ?? []);
  if (Object.keys(services).length === 0) return undefined;
  const [name] = property('ENT_NAM');
  const [reference] = property('ENT_NAT_REF_COD');
  const [country] = property('ENT_COU_RES');
  if (!name || !reference || !country) return 'ENT_NAM, ENT_NAT_REF_COD and ENT_COU_RES are required';
  const [authorityCountry, authority] = raw.CA_OwnerID.split('_', 2);
  if (!authority || authorityCountry !== country.toUpperCase()) return `CA_OwnerID ${raw.CA_OwnerID} does not name an authority of ${country}`;
  // ENT_AUT lists when authorisations started and ended, in turn: an odd count is authorised now.
  const dates = property('ENT_AUT').sort();
  const authorised = dates.length % 2 === 1;
  return {
    register: 'EBA',
    entityCode: raw.EntityCode,
    organizationIdentifier: psd2OrganizationIdentifier(country, authority, reference),
    name,
    entityType: raw.EntityType,
    homeCountry: country.toUpperCase(),
    authorised,
    authorisedFrom: authorised ? dates.at(-1) : dates.at(-2),
    withdrawnOn: authorised ? undefined : dates.at(-1),
    services,
  };
}

function servicesOf(entries: readonly Record<string, string | string[]>[]): Record<string, TppRole[]> {
  const services: Record<string, TppRole[]> = {};
  for (const entry of entries) {
    for (const [country, codes] of Object.entries(entry)) {
      const roles = (Array.isArray(codes) ? codes : [codes]).map((code) => ROLE_OF_SERVICE[code]).filter((role): role is TppRole => role !== undefined);
      if (roles.length === 0) continue;
      const key = country.toUpperCase();
      services[key] = [...new Set([...(services[key] ?? []), ...roles])].sort();
    }
  }
  return services;
}
