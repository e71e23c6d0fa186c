/**
 * A TPP identified by its certificate on every call (Berlin Group XS2A: no registration, no OAuth
 * client) owns its consents and payments as its organisation: this is the owner id those carry
 * where a registered client's id would be. Registered client ids never take this form.
 */
const PREFIX = 'org:';

export const clientIdOfOrganisation = (organisationId: string): string => `${PREFIX}${organisationId}`;

/** The organisation behind an owner id of that form; undefined for a registered client's id. */
export const organisationOfClientId = (clientId: string): string | undefined => (clientId.startsWith(PREFIX) ? clientId.slice(PREFIX.length) : undefined);
