/**
 * Whether an OB v4.0 answer carries a resource in a rejected status, for the MI figure "API calls
 * generating rejection status": a consent `Rejected` (OBReadConsentResponse1 and the payment
 * consents' `Data.Status`) or a payment order `RJCT` (ISO 20022 ExternalPaymentTransactionStatus1Code).
 * A substring test first, so that the other answers are never parsed.
 */
export function isObRejectedAnswer(payload: string): boolean {
  if (!payload.includes('"Rejected"') && !payload.includes('"RJCT"')) return false;
  try {
    const status = (JSON.parse(payload) as { Data?: { Status?: unknown } } | null)?.Data?.Status;
    return status === 'Rejected' || status === 'RJCT';
  } catch {
    return false;
  }
}
