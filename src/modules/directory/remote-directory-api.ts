import { z } from 'zod';
import type { HttpsFetch } from '../../platform/https-client/index.ts';
import { AppError } from '../../platform/errors/index.ts';
import type { DirectoryOrganisation } from './directory-model.ts';
import { DirectoryErrors } from './directory.errors.ts';
import { ORGANISATION_STATUSES, TPP_ROLES } from './directory-model.ts';
import type { SoftwareStatementStanding } from './tpp-directory.port.ts';

const organisationSchema = z.object({
  id: z.string().min(1),
  legalName: z.string(),
  organizationIdentifier: z.string().min(1),
  // Roles this platform does not know (an ASPSP role) grant nothing here.
  roles: z.array(z.string()).transform((roles) => TPP_ROLES.filter((role) => roles.includes(role))),
  status: z.enum(ORGANISATION_STATUSES as [DirectoryOrganisation['status'], ...DirectoryOrganisation['status'][]]),
});

const softwareStatementSchema = z.object({
  softwareId: z.string().min(1),
  organisationId: z.string().min(1),
  status: z.enum(['Active', 'Inactive']),
});

/**
 * The remote directory's API (docs/deployment.md, "Production trust"), JSON over HTTPS:
 * `GET {api}/organisations/by-identifier/{organizationIdentifier}` and
 * `GET {api}/software-statements/{softwareId}`, each 200 with the record or 404. Anything else —
 * no answer, another status, a body of another shape — is `DIRECTORY_UNAVAILABLE` (503): the
 * platform cannot tell whether the TPP may act, so it refuses for now.
 */
export class RemoteDirectoryApi {
  constructor(
    private readonly apiUrl: string,
    private readonly fetch: HttpsFetch,
  ) {}

  organisationByIdentifier(organizationIdentifier: string): Promise<DirectoryOrganisation | undefined> {
    return this.get(`organisations/by-identifier/${encodeURIComponent(organizationIdentifier)}`, organisationSchema);
  }

  softwareStatement(softwareId: string): Promise<SoftwareStatementStanding | undefined> {
    return this.get(`software-statements/${encodeURIComponent(softwareId)}`, softwareStatementSchema);
  }

  private async get<T>(relative: string, schema: z.ZodType<T>): Promise<T | undefined> {
    let parsed: T;
    try {
      const response = await this.fetch(`${this.apiUrl}/${relative}`, { headers: { accept: 'application/json' }, redirect: 'error' });
      if (response.status === 404) return undefined;
      if (response.status !== 200) throw new Error(`the directory answered ${response.status}`);
      parsed = schema.parse(await response.json());
    } catch (error) {
      throw new AppError(DirectoryErrors.DIRECTORY_UNAVAILABLE, { cause: error });
    }
    return parsed;
  }
}
