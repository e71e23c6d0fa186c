/** OB v4.0 `PeriodType` values, as the neutral model keeps them. */
export type VrpPeriodType = 'Day' | 'Week' | 'Fortnight' | 'Month' | 'Half-year' | 'Year';
/** Whether periods start at the consent's creation or line up with the calendar. */
export type VrpPeriodAlignment = 'Consent' | 'Calendar';

/** One periodic limit: the most that VRPs under the consent may pay in total within each period. */
export interface VrpPeriodicLimit {
  readonly periodType: VrpPeriodType;
  readonly alignment: VrpPeriodAlignment;
  readonly amountMinor: bigint;
  readonly currency: string;
}

/**
 * A VRP consent's control parameters in the neutral model (the facade maps the standard's, e.g. OB
 * `ControlParameters`). Every VRP under the consent is checked against all of them.
 */
export interface VrpControls {
  readonly validFrom: Date | null;
  readonly validTo: Date | null;
  readonly maximumIndividual: { readonly amountMinor: bigint; readonly currency: string };
  readonly periodicLimits: readonly VrpPeriodicLimit[];
}

/** VRP controls as the TPP sent them: decimal amounts, ISO date-times (validated by the stage use case). */
export interface VrpControlTerms {
  readonly validFrom?: string | undefined;
  readonly validTo?: string | undefined;
  readonly maximumIndividual: { readonly decimal: string; readonly currency: string };
  readonly periodicLimits: ReadonlyArray<{ readonly periodType: string; readonly alignment: string; readonly decimal: string; readonly currency: string }>;
}
