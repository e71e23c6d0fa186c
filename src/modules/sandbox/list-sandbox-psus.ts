import type { Db } from '../../platform/db/index.ts';

/** A published sandbox login (DESIGN.md §3, `GET /sandbox/v1/psus`). */
export interface SandboxPsuLogin {
  readonly username: string;
  readonly password: string;
  /** Base32 (RFC 4648, no padding); RFC 6238 TOTP with SHA-1, 6 digits, 30 s. */
  readonly totpSecret: string;
  readonly name: string;
}

export async function listSandboxPsus(db: Db): Promise<SandboxPsuLogin[]> {
  const rows = await db.selectFrom('sandbox_psus').select(['username', 'password', 'totp_secret', 'name']).orderBy('position').execute();
  return rows.map((row) => ({ username: row.username, password: row.password, totpSecret: row.totp_secret, name: row.name }));
}
