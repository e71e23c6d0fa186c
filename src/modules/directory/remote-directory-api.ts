import { z } from 'zod';
import type { Cache } from '../../platform/cache/index.ts';
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

/** Where the last good answers are kept, and for how long one may stand in for the directory. */
export interface LastGoodCopies {
  readonly cache: Cache;
  /** The oldest answer used while the directory cannot be reached; 0: none. */
  readonly maxAgeSeconds: number;
}

/**
 * The remote directory's API (docs/deployment.md, "Production trust"), JSON over HTTPS:
 * `GET {api}/organisations/by-identifier/{organizationIdentifier}` and
 * `GET {api}/software-statements/{softwareId}`, each 200 with the record or 404. Every answer is
 * kept in the shared cache as the last good copy; anything else — no answer, another status, a body
 * of another shape — falls back to that copy while it is no older than `maxAgeSeconds`, and is
 * `DIRECTORY_UNAVAILABLE` (503) otherwise: the platform cannot tell whether the TPP may act, so
 * it refuses for now.
 */
export class RemoteDirectoryApi {
  constructor(
    private readonly apiUrl: string,
    private readonly fetch: HttpsFetch,
    private readonly lastGood?: LastGoodCopies,
  ) {}

  organisationByIdentifier(organizationIdentifier: string): Promise<DirectoryOrganisation | undefined> {
    return this.get(`organisations/by-identifier/${encodeURIComponent(organizationIdentifier)}`, organisationSchema);
  }

  softwareStatement(softwareId: string): Promise<SoftwareStatementStanding | undefined> {
    return this.get(`software-statements/${encodeURIComponent(softwareId)}`, softwareStatementSchema);
  }

  private async get<T>(relative: string, schema: z.ZodType<T>): Promise<T | undefined> {
    let answer: T | undefined;
    try {
      const response = await this.fetch(`${this.apiUrl}/${relative}`, { headers: { accept: 'application/json' }, redirect: 'error' });
      if (response.status !== 200 && response.status !== 404) throw new Error(`the directory answered ${response.status}`);
      answer = response.status === 404 ? undefined : schema.parse(await response.json());
    } catch (error) {
      const copy = await this.lastGoodCopy(relative, schema);
      if (copy) return copy.value;
      throw new AppError(DirectoryErrors.DIRECTORY_UNAVAILABLE, { cause: error });
    }
    await this.keep(relative, answer);
    return answer;
  }

  private async keep(relative: string, value: unknown): Promise<void> {
    if (!this.lastGood || this.lastGood.maxAgeSeconds === 0) return;
    await this.lastGood.cache.set(`directory:last-good:${relative}`, JSON.stringify({ at: Date.now(), value: value ?? null }), this.lastGood.maxAgeSeconds).catch(() => undefined);
  }

  private async lastGoodCopy<T>(relative: string, schema: z.ZodType<T>): Promise<{ value: T | undefined } | undefined> {
    if (!this.lastGood || this.lastGood.maxAgeSeconds === 0) return undefined;
    const kept = await this.lastGood.cache.get(`directory:last-good:${relative}`).catch(() => null);
    if (!kept) return undefined;
    try {
      const { at, value } = JSON.parse(kept) as { at: number; value: unknown };
      if (Date.now() - at > this.lastGood.maxAgeSeconds * 1000) return undefined;
      return { value: value === null ? undefined : schema.parse(value) };
    } catch {
      return undefined;
    }
  }
}
