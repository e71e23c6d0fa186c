import type { Generated } from 'kysely';

/** The published sandbox logins (migration 0003), in the order `GET /sandbox/v1/psus` lists them. */
export interface SandboxPsusTable {
  username: string;
  password: string;
  totp_secret: string;
  name: string;
  party_id: string;
  position: number;
}

/** Each seeding of the sandbox bank (migration 0003). */
export interface SandboxSeedRunsTable {
  id: Generated<number>;
  seed: number;
  customers: number;
  months: number;
  seeded_at: Generated<Date>;
}

/** The tables the sandbox module owns. */
export interface SandboxTables {
  sandbox_psus: SandboxPsusTable;
  sandbox_seed_runs: SandboxSeedRunsTable;
}
