import { z } from 'zod';
import type { TppRole } from '../directory-model.ts';
import type { ParsedRegister } from './eba-register.ts';
import type { RegisterEntity } from './register-model.ts';
import { psd2OrganizationIdentifier } from './organization-identifier.ts';

/**
 * De Nederlandsche Bank's public register (Wft) as its Public Register API v1 publishes it
 * (`GET /api/publicregister/{language}/Publications/{registerCode}`, DNB's OpenAPI description
 * "Public Register" v1): one `PublicationView` per register and page — `registerCode`,
 * `publishDate` and `organizations`, each with its DNB `relationNumber`, `statutoryCountry`, names
 * with validity periods, `isInLiquidation` and `registrations`. A registration has a validity
 * period, the `country` it applies to, and the `allowedActivities` it permits, each with its own
 * validity period and `actActivityName`. The description gives the structure, not the wording of
 * activities nor how a licence is told from a passport notification; see
 * docs/decisions/0013e-dnb-register.md for what is read from where.
 */

/**
 * PSD2 Annex I services that make a TPP role, as a Wft activity names them in Dutch (the Wft's
 * terms, art. 1:1) or English: 7 payment initiation, 8 account information, 5 issuing of payment
 * instruments (a card-based payment instrument issuer, PSD2 Art. 65).
 */
const ROLES_BY_ACTIVITY: readonly [RegExp, TppRole][] = [
  [/betaalinitiatiedienst|betalingsinitiatiedienst|payment initiation/i, 'PISP'],
  [/rekeninginformatiedienst|account information/i, 'AISP'],
  [/uitgi[fv]te van betaalinstrumenten|uitgeven van betaalinstrumenten|issu(e|ing) (of )?payment instruments/i, 'CBPII'],
];

/** DNB's statutory country of a Dutch institution, as the register spells it. */
const NETHERLANDS = /^(nl|nld|nederland|netherlands|the netherlands)$/i;

const HOME = 'NL';
/** DNB's short name in the organizationIdentifier of the institutions it authorises (ETSI TS 119 495 §5.2.1). */
const AUTHORITY = 'DNB';

const validity = { validityPeriodStartDate: z.string().nullish(), validityPeriodEndDate: z.string().nullish() };
const named = z.object({ name: z.string().nullish(), ...validity }).passthrough();
const registration = z
  .object({
    actArticleName: z.string().nullish(),
    ...validity,
    country: z.object({ isoCode: z.string().nullish() }).passthrough().nullish(),
    allowedActivities: z.array(z.object({ actActivityName: z.string().nullish(), ...validity }).passthrough()).nullish(),
  })
  .passthrough();
const organization = z
  .object({
    relationNumber: z.string().min(1),
    statutoryCountry: z.string().nullish(),
    isInLiquidation: z.boolean().nullish(),
    dateOfLiquidation: z.string().nullish(),
    officialNames: z.array(named).nullish(),
    statutoryNames: z.array(named).nullish(),
    tradeNames: z.array(named).nullish(),
    registrations: z.array(registration).nullish(),
  })
  .passthrough();
const publication = z.object({ registerCode: z.string().min(1), organizations: z.array(z.unknown()), _metadata: z.unknown().optional() }).passthrough();
const pageMetadata = z.object({ page: z.number().int().min(1), pageSize: z.number().int().min(1) });

type Organization = z.infer<typeof organization>;
type Registration = z.infer<typeof registration>;

/**
 * Reads saved or fetched publications: one `PublicationView`, or an array of them (the pages of
 * one or more registers). Throws when the document is not publications at all, or they list no
 * organisation (an empty answer is never read as the withdrawal of every institution).
 */
export function parseDnbRegister(json: string, today: string, onProgress?: (done: number, total: number) => void): ParsedRegister {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    throw new Error(`the DNB public register publication is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const pages = Array.isArray(document) ? document : [document];
  const organizations: { registerCode: string; raw: unknown; index: number }[] = [];
  pages.forEach((page, number) => {
    const parsed = publication.safeParse(page);
    if (!parsed.success) throw new Error(`the DNB public register publication is not its format: page ${number + 1} has no ${parsed.error.issues[0]?.path.join('.') || 'PublicationView'}`);
    // An organisation is named by its place in its register: its page's offset (from `_metadata`) and its index there.
    const metadata = pageMetadata.safeParse(parsed.data._metadata);
    const offset = metadata.success ? (metadata.data.page - 1) * metadata.data.pageSize : 0;
    parsed.data.organizations.forEach((raw, index) => organizations.push({ registerCode: parsed.data.registerCode.toUpperCase(), raw, index: offset + index }));
  });
  if (organizations.length === 0) throw new Error('the DNB public register publication lists no organisation: nothing is changed');
  return readOrganizations(organizations, today, onProgress);
}

function readOrganizations(organizations: readonly { registerCode: string; raw: unknown; index: number }[], today: string, onProgress?: (done: number, total: number) => void): ParsedRegister {
  const entities = new Map<string, RegisterEntity>();
  const malformed: string[] = [];
  let ignored = 0;
  organizations.forEach(({ registerCode, raw, index }, done) => {
    if (done % 1000 === 0) onProgress?.(done, organizations.length);
    const parsed = organization.safeParse(raw);
    if (!parsed.success) {
      malformed.push(`${registerCode} organisation ${index}: ${parsed.error.issues[0]?.path.join('.') || 'organisation'} ${parsed.error.issues[0]?.message ?? ''}`.trim());
      return;
    }
    const entity = entityOf(registerCode, parsed.data, today);
    if (entity === undefined) ignored += 1;
    else if (typeof entity === 'string') malformed.push(`${parsed.data.relationNumber}: ${entity}`);
    // An institution in two of the registers read (e.g. payment and e-money) is one entity: its roles together.
    else entities.set(entity.entityCode, merge(entities.get(entity.entityCode), entity));
  });
  onProgress?.(organizations.length, organizations.length);
  return { entities: [...entities.values()], ignored, malformed };
}

/** In force on `today`: started (or no start given) and not ended. */
function inForce(period: { validityPeriodStartDate?: string | null; validityPeriodEndDate?: string | null }, today: string): boolean {
  const start = day(period.validityPeriodStartDate);
  const end = day(period.validityPeriodEndDate);
  return (start === undefined || start <= today) && (end === undefined || end > today);
}

/** `2019-03-01T00:00:00` (the API's date-time) as `2019-03-01`. */
function day(value: string | null | undefined): string | undefined {
  return value && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}

function rolesOf(registration: Registration, today: string | undefined): TppRole[] {
  const activities = registration.allowedActivities ?? [];
  // A registration without activities (a registered account information service provider) is read by its article.
  const names = activities.length > 0 ? activities.filter((activity) => today === undefined || inForce(activity, today)).map((activity) => activity.actActivityName ?? '') : [registration.actArticleName ?? ''];
  return ROLES_BY_ACTIVITY.filter(([pattern]) => names.some((name) => pattern.test(name))).map(([, role]) => role);
}

/** The country a registration applies to; none or the Netherlands is the home licence. */
function countryOf(registration: Registration): string {
  const code = registration.country?.isoCode?.trim().toUpperCase();
  return code && /^[A-Z]{2}$/.test(code) ? code : HOME;
}

function currentName(organization: Organization, today: string): string | undefined {
  for (const names of [organization.statutoryNames, organization.officialNames, organization.tradeNames]) {
    const listed = (names ?? []).filter((item) => item.name?.trim());
    const current = listed.find((item) => inForce(item, today)) ?? listed[0];
    if (current?.name) return current.name.trim();
  }
  return undefined;
}

function entityOf(registerCode: string, raw: Organization, today: string): RegisterEntity | string | undefined {
  if (!raw.statutoryCountry) return 'statutoryCountry is required: DNB is the home authority of Dutch institutions only';
  // A firm passporting into the Netherlands is listed too; its home authority's register decides about it.
  if (!NETHERLANDS.test(raw.statutoryCountry.trim())) return undefined;
  const name = currentName(raw, today);
  if (!name) return 'a statutory, official or trade name is required';
  const registrations = raw.registrations ?? [];
  const home = registrations.filter((item) => countryOf(item) === HOME && rolesOf(item, undefined).length > 0);
  if (home.length === 0) return undefined;
  const current = home.filter((item) => inForce(item, today) && rolesOf(item, today).length > 0);
  // An institution declared bankrupt is not trusted, whatever its registrations still say.
  const authorised = current.length > 0 && raw.isInLiquidation !== true;
  const services: Record<string, TppRole[]> = {};
  const add = (country: string, roles: readonly TppRole[]) => {
    if (roles.length > 0) services[country] = [...new Set([...(services[country] ?? []), ...roles])].sort();
  };
  if (authorised) {
    for (const item of current) add(HOME, rolesOf(item, today));
    // A passport notification: the activities it lists, in the country it names, while it and the licence are in force.
    for (const item of registrations) if (countryOf(item) !== HOME && inForce(item, today)) add(countryOf(item), rolesOf(item, today));
  } else {
    // Withdrawn: what it was authorised for, as a record.
    for (const item of home) add(HOME, rolesOf(item, undefined));
  }
  const starts = (authorised ? current : home).map((item) => day(item.validityPeriodStartDate)).filter((date): date is string => date !== undefined).sort();
  const ends = home.map((item) => day(item.validityPeriodEndDate)).filter((date): date is string => date !== undefined).sort();
  return {
    register: 'DNB',
    entityCode: raw.relationNumber,
    // The relation number is the reference DNB gives the institution, as its certificates carry it.
    organizationIdentifier: psd2OrganizationIdentifier(HOME, AUTHORITY, raw.relationNumber),
    name,
    entityType: registerCode,
    homeCountry: HOME,
    authorised,
    authorisedFrom: starts[0],
    withdrawnOn: authorised ? undefined : raw.isInLiquidation === true && current.length > 0 ? day(raw.dateOfLiquidation) : ends.at(-1),
    services,
  };
}

function merge(held: RegisterEntity | undefined, entity: RegisterEntity): RegisterEntity {
  if (!held) return entity;
  const parts = [held, entity];
  const live = parts.filter((part) => part.authorised);
  // Authorised in one register read, its roles are those it is authorised for; withdrawn in all, what it had.
  const services: Record<string, TppRole[]> = {};
  for (const part of live.length > 0 ? live : parts) {
    for (const [country, roles] of Object.entries(part.services)) services[country] = [...new Set([...(services[country] ?? []), ...roles])].sort();
  }
  const dates = (pick: (part: RegisterEntity) => string | undefined) => parts.map(pick).filter((date): date is string => date !== undefined).sort();
  return {
    ...held,
    entityType: [...new Set([...held.entityType.split('+'), entity.entityType])].sort().join('+'),
    authorised: live.length > 0,
    authorisedFrom: dates((part) => part.authorisedFrom)[0],
    withdrawnOn: live.length > 0 ? undefined : dates((part) => part.withdrawnOn).at(-1),
    services,
  };
}
