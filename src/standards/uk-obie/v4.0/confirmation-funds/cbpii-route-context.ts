import type { FundsApi } from '../../../../modules/funds/index.ts';
import type { ObResourceContext } from '../ob-resource-context.ts';
import type { SecurityStep } from '../security/security-context.ts';

/** OB v4.0 Confirmation of Funds API base path (`servers: /open-banking/v4.0/cbpii`). */
export const CBPII = '/open-banking/v4.0/cbpii';

/** What every CBPII resource route family needs: the funds module and its security pipelines. */
export interface CbpiiRouteContext extends ObResourceContext {
  readonly funds: FundsApi;
  /** `TPPOAuth2Security [fundsconfirmations]`: the CBPII for itself, client-credentials token. */
  readonly tppSecurity: SecurityStep[];
  /** `PSUOAuth2Security [fundsconfirmations]`: the PSU's authorization-code token, its funds-confirmation consent authorised. */
  readonly psuSecurity: SecurityStep[];
}

/** Links.Self of a CBPII resource. */
export function cbpiiLink(context: Pick<CbpiiRouteContext, 'publicUrl'>, path: string): string {
  return new URL(`${CBPII}${path}`, context.publicUrl).toString();
}
