import { z } from 'zod';
import type { HttpsFetch } from '../../../platform/https-client/index.ts';
import type { TppRole } from '../directory-model.ts';
import type { RegisterEntity } from './register-model.ts';
import { psd2OrganizationIdentifier } from './organization-identifier.ts';
import type { RegisterProgress } from './eba-register-source.ts';

/** The FCA Financial Services Register API (version 0.1). */
export const FCA_REGISTER_API_URL = 'https://register.fca.org.uk/services/V0.1';

export interface FcaRegisterOptions {
  readonly apiUrl: string;
  /** The API's credentials: the registered e-mail address and its key (`x-auth-email`, `x-auth-key`). */
  readonly email: string;
  readonly key: string;
  readonly fetch: HttpsFetch;
}

/** Permissions of the Payment Services Regulations 2017 (Schedule 1 Part 1) that make a TPP role. */
const ROLES_BY_PERMISSION: readonly [RegExp, TppRole][] = [
  [/account information service/i, 'AISP'],
  [/payment initiation service/i, 'PISP'],
  [/issuing (of )?(card-based )?payment instruments/i, 'CBPII'],
];

const FIRM_NOT_FOUND = 'FSR-API-02-01-21';
const PERMISSIONS_NOT_FOUND = 'FSR-API-02-03-21';

const firmResponse = z.object({
  Status: z.string(),
  Data: z
    .array(
      z
        .object({
          FRN: z.string(),
          'Organisation Name': z.string(),
          Status: z.string(),
          'Business Type': z.string().optional(),
          'Status Effective Date': z.string().optional(),
          'PSD / EMD Status': z.string().optional(),
          'PSD / EMD Effective Date': z.string().optional(),
        })
        .passthrough(),
    )
    .optional(),
});
const permissionsResponse = z.object({ Status: z.string(), Data: z.record(z.string(), z.unknown()).optional() });

/**
 * Firms of the FCA register by Firm Reference Number, one API call for the firm and one for its
 * permissions each, one firm at a time (the API allows 50 requests in 10 s). A firm the register
 * does not know is returned in `notFound`; any other failure throws, so that a synchronisation
 * never mistakes an unreachable register for withdrawals. UK firms do not passport: their
 * services are for GB.
 */
export async function fetchFcaFirms(options: FcaRegisterOptions, frns: readonly string[], onProgress?: RegisterProgress): Promise<{ entities: RegisterEntity[]; notFound: string[] }> {
  const entities: RegisterEntity[] = [];
  const notFound: string[] = [];
  for (const [index, frn] of frns.entries()) {
    onProgress?.('fetching', index, frns.length);
    if (!/^\d{1,10}$/.test(frn)) throw new Error(`not a Firm Reference Number: ${frn}`);
    const firm = firmResponse.parse(await getJson(options, `/Firm/${frn}`));
    const record = firm.Data?.[0];
    if (firm.Status === FIRM_NOT_FOUND || !record) {
      notFound.push(frn);
      continue;
    }
    const permissions = permissionsResponse.parse(await getJson(options, `/Firm/${frn}/Permissions`));
    const names = permissions.Status === PERMISSIONS_NOT_FOUND ? [] : Object.keys(permissions.Data ?? {});
    const roles = [...new Set(names.flatMap((name) => ROLES_BY_PERMISSION.filter(([pattern]) => pattern.test(name)).map(([, role]) => role)))].sort();
    const status = record['PSD / EMD Status'] ?? record.Status;
    const authorised = /^(authorised|registered)/i.test(status) && !/cancel|former|revoked|no longer/i.test(status);
    const since = isoDay(record['PSD / EMD Effective Date'] ?? record['Status Effective Date']);
    entities.push({
      register: 'FCA',
      entityCode: record.FRN,
      organizationIdentifier: psd2OrganizationIdentifier('GB', 'FCA', record.FRN),
      name: record['Organisation Name'],
      entityType: record['Business Type'] ?? 'Regulated',
      homeCountry: 'GB',
      authorised,
      authorisedFrom: authorised ? since : undefined,
      withdrawnOn: authorised ? undefined : since,
      services: roles.length > 0 ? { GB: roles } : {},
    });
  }
  onProgress?.('fetching', frns.length, frns.length);
  return { entities, notFound };
}

async function getJson(options: FcaRegisterOptions, path: string): Promise<unknown> {
  const response = await options.fetch(`${options.apiUrl.replace(/\/+$/, '')}${path}`, {
    headers: { accept: 'application/json', 'x-auth-email': options.email, 'x-auth-key': options.key },
  });
  if (!response.ok) throw new Error(`the FCA register answered HTTP ${response.status} for ${path}`);
  return response.json();
}

/** `DD/MM/YYYY` as `YYYY-MM-DD`. */
function isoDay(date: string | undefined): string | undefined {
  const match = date && /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(date.trim());
  return match ? `${match[3]}-${match[2]}-${match[1]}` : undefined;
}
