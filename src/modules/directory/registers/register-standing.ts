import type { TppRole } from '../directory-model.ts';
import type { StoredRegisterEntity } from './registers.repository.port.ts';

/**
 * What the registers say of an organisation in one country: `authorised` with the roles it may act
 * in there (through its home authorisation, or passported from another country), `withdrawn` when
 * a register lists it but authorises it nowhere now, or `unknown` when none lists it.
 */
export type RegisterStanding =
  | { readonly status: 'authorised'; readonly roles: readonly TppRole[]; readonly basis: 'home' | 'passport'; readonly entities: readonly StoredRegisterEntity[] }
  | { readonly status: 'not-in-country'; readonly entities: readonly StoredRegisterEntity[] }
  | { readonly status: 'withdrawn'; readonly entities: readonly StoredRegisterEntity[] }
  | { readonly status: 'unknown' };

/** The registers' word, from every register's entry for the organisation, on acting in `country`. */
export function standingIn(entities: readonly StoredRegisterEntity[], country: string): RegisterStanding {
  if (entities.length === 0) return { status: 'unknown' };
  const authorised = entities.filter((entity) => entity.authorised);
  if (authorised.length === 0) return { status: 'withdrawn', entities };
  const roles = new Set<TppRole>();
  let home = false;
  for (const entity of authorised) {
    for (const role of entity.services[country] ?? []) roles.add(role);
    if (entity.homeCountry === country && (entity.services[country]?.length ?? 0) > 0) home = true;
  }
  if (roles.size === 0) return { status: 'not-in-country', entities };
  return { status: 'authorised', roles: [...roles].sort(), basis: home ? 'home' : 'passport', entities };
}
