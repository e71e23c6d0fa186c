import type { SandboxDataset } from './generate-sandbox-bank.ts';
import type { SandboxMarket } from './sandbox-plan.ts';

/** An account a sandbox PSU can reach (as owner, or as delegate of their business). */
export interface SandboxPsuAccount {
  readonly accountId: string;
  readonly currency: string;
  readonly name: string;
  readonly nickname: string | null;
  readonly iban: string | null;
  /** Both null for accounts in the euro area, which are known by their IBAN alone. */
  readonly sortCode: string | null;
  readonly accountNumber: string | null;
}

/** A credit card account of a sandbox PSU (EU PSUs hold one), known by its masked card number. */
export interface SandboxPsuCardAccount {
  readonly accountId: string;
  readonly currency: string;
  readonly name: string;
  readonly maskedPan: string;
}

/** A published sandbox login (DESIGN.md §3, `GET /sandbox/v1/psus`). */
export interface SandboxPsuLogin {
  readonly username: string;
  readonly password: string;
  /** Base32 (RFC 4648, no padding); RFC 6238 TOTP with SHA-1, 6 digits, 30 s. */
  readonly totpSecret: string;
  readonly name: string;
  /** Where the PSU lives and banks: `UK` (sterling, sort codes) or `EU` (a euro-area resident, euro and their country's IBANs). */
  readonly market: SandboxMarket;
  /** Payment accounts, in the order the core lists them. */
  readonly accounts: readonly SandboxPsuAccount[];
  /** Card accounts, in the order the core lists them. */
  readonly cardAccounts: readonly SandboxPsuCardAccount[];
}

/** A generated sandbox bank, ready to write. */
export interface SandboxBank {
  readonly dataset: SandboxDataset;
  /** Each PSU's password hash, in the order of `dataset.psus`. */
  readonly passwordHashes: readonly string[];
  /** What the bank was generated from, recorded with it. */
  readonly run: { readonly seed: number; readonly customers: number; readonly months: number };
  /** Replace a bank already there instead of refusing with ALREADY_SEEDED. */
  readonly reset: boolean;
}

/** What the sandbox needs from storage. */
export interface SandboxRepository {
  /** The published logins, in their order. */
  listPsus(): Promise<SandboxPsuLogin[]>;
  isSeeded(): Promise<boolean>;
  /**
   * Writes the bank in one transaction: either all of it is there or none, and a reset clears the
   * old bank in that transaction. Two instances seeding one database at once do not both write.
   * `progress` is told how many rows of which phase were written.
   */
  writeBank(bank: SandboxBank, progress: (count: number, phase: string) => void): Promise<void>;
}
