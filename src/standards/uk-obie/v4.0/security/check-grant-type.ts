import type { VerifiedAccessToken } from '../../../../auth/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { verifiedTokenOf, type SecurityStep } from './security-context.ts';
import { SecurityErrors } from './security.errors.ts';

/**
 * The token comes from the grant the endpoint is defined for (OB v4.0: consent resources take a
 * client-credentials token, `TPPOAuth2Security`; account and payment resources a PSU's
 * authorization-code token, `PSUOAuth2Security`). A PSU token must not create consents, and a
 * client-credentials token must never read a PSU's accounts.
 */
export function checkGrantType(kind: VerifiedAccessToken['kind']): SecurityStep {
  return async (request, reply) => {
    const presented = verifiedTokenOf(request).kind;
    if (presented === kind) return;
    // A PSU resource asked with a client-credentials token: the token is not valid here, 401 with the
    // RFC 6750 §3 challenge (OBIE conformance suite v1.9.1, e.g. OB-400-BAL-101700, OB-400-STO-104101).
    // A PSU's token on a TPP endpoint stays 403: a valid token for another purpose.
    if (kind === 'authorization_code') {
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new AppError(SecurityErrors.PSU_TOKEN_REQUIRED, { message: wrongGrantMessage(kind, presented), details: [{ path: 'Authorization' }] });
    }
    throw new AppError(SecurityErrors.WRONG_GRANT_TYPE, { message: wrongGrantMessage(kind, presented) });
  };
}

/** Says which grant the endpoint needs and which was presented, so a TPP knows which token to fetch. */
function wrongGrantMessage(needed: VerifiedAccessToken['kind'], presented: VerifiedAccessToken['kind']): string {
  const how = needed === 'authorization_code' ? " (the PSU's authorisation of the consent)" : ' (the TPP\'s own token from POST /token)';
  return `This endpoint needs an access token from the ${needed} grant${how}; ${presented === 'authorization_code' ? 'an' : 'a'} ${presented} token was presented`;
}
