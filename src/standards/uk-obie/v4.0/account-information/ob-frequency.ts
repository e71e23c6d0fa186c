/**
 * OB v4.0 `OBFrequency6` from the core's v3-style frequency (`IntrvlMnthDay:01:15`): the v4.0
 * codes where one fits (monthly on day 15 is `MNTH` at point in time `15`, weekly on Friday is
 * `WEEK` at `05`, fortnightly `FRTN`, daily `DAIL`), else the v3 form, which v4.0 still accepts.
 */
export function toObFrequency(frequency: string): { Type: string; PointInTime?: string } {
  const monthly = /^IntrvlMnthDay:01:(0[1-9]|[12][0-9]|3[01])$/.exec(frequency);
  if (monthly) return { Type: 'MNTH', PointInTime: monthly[1] as string };
  const weekly = /^IntrvlWkDay:(01|02):(0[1-7])$/.exec(frequency);
  if (weekly) return { Type: weekly[1] === '01' ? 'WEEK' : 'FRTN', PointInTime: weekly[2] as string };
  if (frequency === 'EvryDay') return { Type: 'DAIL' };
  return { Type: frequency };
}

/** OB `ExternalMandateStatus1Code` of an arrangement's status. */
export function mandateStatus(status: 'Active' | 'Inactive'): 'ACTV' | 'CANC' {
  return status === 'Active' ? 'ACTV' : 'CANC';
}
