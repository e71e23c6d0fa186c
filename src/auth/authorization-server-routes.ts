/**
 * oidc-provider's endpoint paths, set explicitly so that they are a stable contract (TPPs pin them
 * from discovery) rather than whatever a library upgrade defaults to.
 */
export const AUTHORIZATION_SERVER_ROUTES = {
  authorization: '/auth',
  token: '/token',
  jwks: '/jwks',
  // RFC 9126 PAR endpoint.
  pushed_authorization_request: '/request',
  introspection: '/token/introspection',
  revocation: '/token/revocation',
  userinfo: '/me',
  // Not served: logout is off, and OB DCR v3.4 is a facade at /register (DESIGN.md §3) that creates
  // clients through the adapter. Set anyway so that no feature can silently claim another path.
  end_session: '/session/end',
  registration: '/oidc/registration',
} as const;

/**
 * The paths the HTTP server hands to oidc-provider: its enabled endpoints, the authorization
 * endpoint's resume path (after PSU interaction), and both discovery documents (OIDC Discovery §4
 * and RFC 8414 §3).
 */
export const PROVIDER_PATHS: readonly string[] = [
  '/.well-known/openid-configuration',
  '/.well-known/oauth-authorization-server',
  AUTHORIZATION_SERVER_ROUTES.authorization,
  `${AUTHORIZATION_SERVER_ROUTES.authorization}/:uid`,
  AUTHORIZATION_SERVER_ROUTES.token,
  AUTHORIZATION_SERVER_ROUTES.jwks,
  AUTHORIZATION_SERVER_ROUTES.pushed_authorization_request,
  AUTHORIZATION_SERVER_ROUTES.introspection,
  AUTHORIZATION_SERVER_ROUTES.revocation,
  AUTHORIZATION_SERVER_ROUTES.userinfo,
];
