import type { ConformanceApi, ConformanceScript } from './manifest.ts';

/**
 * Which token an OB v4.0 payment, VRP or CBPII call carries (OB v4.0 PIS/VRP/CBPII profiles):
 * consent resources and reading payments take a client-credentials token; submitting a payment,
 * a VRP or a funds confirmation, and a payment consent's funds check, take the token the PSU's
 * authorisation of that consent gave. The v1.9.1 manifests set `useCCGToken` on a scheduled
 * payment's consent, its read and its submission (OB-400-DOP-101000/101100/101101) while expecting
 * the submission to succeed, which OB allows only with the PSU's token: the flag changes nothing
 * here, since consent resources take client credentials anyway.
 */
export function tokenRouteOf(api: ConformanceApi, script: ConformanceScript): 'client-credentials' | 'consent' {
  const uri = script.uri;
  if (uri.includes('/funds-confirmation')) return api === 'cbpii' && uri.includes('-consents') ? 'client-credentials' : 'consent';
  if (/-consents(\/|$)/.test(uri)) return 'client-credentials';
  return script.method.toLowerCase() === 'post' ? 'consent' : 'client-credentials';
}
