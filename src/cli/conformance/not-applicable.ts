/**
 * Scripts of the v1.9.1 manifests that cannot apply as written, with the reason the report gives.
 * Each is a defect of the manifest itself, not a behaviour of the bank.
 */
export const NOT_APPLICABLE: Readonly<Record<string, string>> = {
  'OB-400-DOP-1015002':
    'Its description is "Fails when NumberOfPayments, FinalPaymentDateTime are not specified and FinalPaymentAmount is specified", ' +
    'but its condition OB3GLOAssertFinalPaymentAmount reads Data.Initiation.FirstPaymentAmount, which every standing order has; ' +
    'the standing order this run created has no FinalPaymentAmount, so the case it describes does not arise (OB-400-DOP-101500 reads the same order with 200).',
};
