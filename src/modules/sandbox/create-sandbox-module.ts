import type { Db } from '../../platform/db/index.ts';
import { createKyselySandboxRepository } from './infra/kysely-sandbox-repository.ts';
import type { SandboxPsuLogin, SandboxRepository } from './sandbox.repository.port.ts';
import { seedSandbox, type SeedSandboxOptions, type SeedSandboxResult } from './seed-sandbox.ts';

/** The sandbox bank: seeding it and the logins it publishes. */
export interface SandboxApi {
  /** The sandbox customers with their logins, markets and accounts, in order (DESIGN.md §3, `GET /sandbox/v1/psus`). */
  listPsus(): Promise<SandboxPsuLogin[]>;
  isSeeded(): Promise<boolean>;
  /** Generates and writes the sandbox bank; ALREADY_SEEDED unless empty or `reset`. */
  seed(options: SeedSandboxOptions): Promise<SeedSandboxResult>;
}

export interface SandboxModuleDeps {
  readonly db: Db;
}

/** The sandbox over its repository (tests give one of their own). */
export function sandboxApiOver(records: SandboxRepository): SandboxApi {
  return {
    listPsus: () => records.listPsus(),
    isSeeded: () => records.isSeeded(),
    seed: (options) => seedSandbox(records, options),
  };
}

/** The sandbox on the platform database. */
export function createSandboxModule(deps: SandboxModuleDeps): SandboxApi {
  return sandboxApiOver(createKyselySandboxRepository(deps.db));
}
