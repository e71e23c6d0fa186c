/**
 * The consent id an authorisation request is for: the `openbanking_intent_id` claim requested in
 * the `claims` parameter or request object (OB Security Profile), for the ID token or userinfo.
 */
export function intentOf(claimsParameter: unknown): string | undefined {
  let claims: unknown = claimsParameter;
  if (typeof claims === 'string') {
    try {
      claims = JSON.parse(claims);
    } catch {
      return undefined;
    }
  }
  if (!claims || typeof claims !== 'object') return undefined;
  for (const member of ['id_token', 'userinfo'] as const) {
    const requested = (claims as Record<string, { openbanking_intent_id?: { value?: unknown } } | undefined>)[member]?.openbanking_intent_id?.value;
    if (typeof requested === 'string' && requested.length > 0 && requested.length <= 128) return requested;
  }
  return undefined;
}
