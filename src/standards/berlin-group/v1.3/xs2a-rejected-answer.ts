/**
 * Whether a NextGenPSD2 answer carries a resource in a rejected status: a payment's
 * `transactionStatus` `RJCT` or a consent's `consentStatus` `rejected` (v1.3.12 §14.13, §14.17).
 * A substring test first, so that the other answers are never parsed.
 */
export function isXs2aRejectedAnswer(payload: string): boolean {
  if (!payload.includes('"RJCT"') && !payload.includes('"rejected"')) return false;
  try {
    const body = JSON.parse(payload) as { transactionStatus?: unknown; consentStatus?: unknown } | null;
    return body?.transactionStatus === 'RJCT' || body?.consentStatus === 'rejected';
  } catch {
    return false;
  }
}
