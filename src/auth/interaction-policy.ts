import { interactionPolicy, type Grant, type KoaContextWithOIDC } from 'oidc-provider';

const { Check, base } = interactionPolicy;

/**
 * oidc-provider's prompts, with two checks added so that every authorisation request is
 * authenticated and consented on its own (PSD2 RTS Art. 4 and 5; OB Security Profile: each
 * consent is authorised with SCA of the PSU):
 * - login: unless the interaction being resumed is the one that produced the login, the PSU logs
 *   in again — a browser session at the bank never stands in for SCA of a new request;
 * - consent: unless that interaction produced the consent decision, the PSU decides again — a
 *   grant from an earlier consent of the same TPP never covers a new consent.
 */
export function scaPerRequestPolicy(): interactionPolicy.DefaultPolicy {
  const policy = base();
  policy.get('login')!.checks.add(
    new Check('sca_per_request', 'every authorisation request needs strong customer authentication of its own', (ctx) =>
      ctx.oidc.result?.login ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT,
    ),
  );
  policy.get('consent')!.checks.add(
    new Check('consent_per_request', 'every authorisation request needs the PSU’s decision on its own consent', (ctx) =>
      ctx.oidc.result?.consent ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT,
    ),
  );
  return policy;
}

/**
 * The grant an authorisation continues: only the one the PSU's decision in this very interaction
 * created, never one remembered in a browser session (each consent has its own grant).
 */
export async function grantOfThisInteraction(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
  const grantId = ctx.oidc.result?.consent?.grantId;
  return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
}
