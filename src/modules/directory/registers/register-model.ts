import type { TppRole } from '../directory-model.ts';

/** The registers Portico reads, each through an adapter of its published format. */
export const REGISTERS = ['EBA', 'FCA', 'CIR', 'DNB'] as const;
export type RegisterName = (typeof REGISTERS)[number];

/**
 * A payment institution, e-money institution or credit institution as a competent authority's
 * register lists it, in the register's own terms reduced to what a trust decision needs.
 */
export interface RegisterEntity {
  readonly register: RegisterName;
  /** The register's own key (EBA and CIR `EntityCode`, FCA FRN, DNB relation number). */
  readonly entityCode: string;
  /**
   * ETSI TS 119 495 §5.2.1 identifier the entity's QWAC and QSealC carry, e.g.
   * `PSDDE-BAFIN-123456`: "PSD", the NCA id (country, "-", short name) and its reference number.
   */
  readonly organizationIdentifier: string;
  readonly name: string;
  /** The register's kind of entity (EBA `PSD_PI`, `PSD_EMI`, `PSD_AISP`; CIR `CRD_CRE_INS`, `CRD_NON_EEA_BRA`; FCA business type; DNB register code, `WFTBI`). */
  readonly entityType: string;
  /** ISO 3166-1 alpha-2 country of the home authority. */
  readonly homeCountry: string;
  /** Authorised (or registered) now, as the register says. */
  readonly authorised: boolean;
  /** Day the current or last authorisation started (YYYY-MM-DD), when the register gives it. */
  readonly authorisedFrom: string | undefined;
  /** Day the authorisation ended (YYYY-MM-DD), when it has. */
  readonly withdrawnOn: string | undefined;
  /** Roles it may act in, by country: its home country, and each host country it passports to. */
  readonly services: Readonly<Record<string, readonly TppRole[]>>;
}

/**
 * A register's entities, compared with what was held before: how many were added, withdrawn
 * (authorised before, not now, or no longer listed at all), changed otherwise (services,
 * passporting, name, a new authorisation) and unchanged, with the first `REPORTED_CHANGES` of
 * each kind named.
 */
export interface RegisterDiff {
  readonly register: RegisterName;
  readonly total: number;
  readonly counts: { readonly added: number; readonly withdrawn: number; readonly changed: number; readonly unchanged: number };
  readonly added: readonly RegisterChange[];
  readonly withdrawn: readonly RegisterChange[];
  readonly changed: readonly RegisterChange[];
}

/** How many changes of each kind a diff names (the counts cover them all). */
export const REPORTED_CHANGES = 200;

export interface RegisterChange {
  readonly entityCode: string;
  readonly organizationIdentifier: string;
  readonly name: string;
}
