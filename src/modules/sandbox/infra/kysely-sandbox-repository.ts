import { sql, type Transaction } from 'kysely';
import { AppError } from '../../../platform/errors/index.ts';
import { ownTables, type DatabaseSchema, type Db, type NewRow } from '../../../platform/db/index.ts';
import type { PsuIdentityTables } from '../../psu-identity/index.ts';
import { SANDBOX_TABLES } from '../generate-sandbox-bank.ts';
import { marketOf } from '../euro-area.ts';
import type { SandboxPsuAccount, SandboxPsuCardAccount, SandboxRepository } from '../sandbox.repository.port.ts';
import { SandboxErrors } from '../sandbox.errors.ts';
import type { SandboxTables } from './sandbox.tables.ts';

/** The built-in ledger's tables the sandbox bank is written into (the sandbox is the ledger's generator). */
type LedgerTable = (typeof SANDBOX_TABLES)[keyof typeof SANDBOX_TABLES];

/** What seeding writes: its own tables, the PSUs' login identities and the ledger's. */
type SandboxBankTables = SandboxTables & PsuIdentityTables & Pick<DatabaseSchema, LedgerTable>;
type Table = keyof SandboxBankTables;

// Children before parents, so foreign keys never block the reset.
const RESET_ORDER = [
  'sandbox_psus', 'psu_passkeys', 'psu_users', 'bank_transactions', 'bank_postings', 'bank_journal_entries', 'bank_statements',
  'bank_scheduled_payments', 'bank_direct_debits', 'bank_standing_orders', 'bank_beneficiaries', 'bank_account_holders',
  'bank_accounts', 'bank_products', 'bank_parties', 'sandbox_seed_runs',
] as const satisfies readonly Table[];

// PostgreSQL takes at most 65,535 bind parameters per statement; stay far below it.
const MAX_ROWS_PER_INSERT = 500;
const MAX_PARAMETERS_PER_INSERT = 20_000;

/** The sandbox's logins and seed runs, and the sandbox bank it writes into the ledger's and PSU identity's tables. */
export function createKyselySandboxRepository(database: Db): SandboxRepository {
  const db = ownTables<SandboxBankTables>(database);
  const isSeeded = async (executor: typeof db): Promise<boolean> => (await executor.selectFrom('sandbox_seed_runs').select('id').limit(1).executeTakeFirst()) !== undefined;
  return {
    async listPsus() {
      // The sandbox wrote each PSU's party and accounts along with the login, in the same transaction.
      const rows = await db
        .selectFrom('sandbox_psus')
        .leftJoin('bank_parties', 'bank_parties.id', 'sandbox_psus.party_id')
        .select(['sandbox_psus.username', 'sandbox_psus.password', 'sandbox_psus.totp_secret', 'sandbox_psus.name', 'sandbox_psus.party_id'])
        .select(sql<string | null>`bank_parties.address->>'country'`.as('country'))
        .orderBy('sandbox_psus.position')
        .execute();
      const accounts = await db
        .selectFrom('sandbox_psus')
        .innerJoin('bank_account_holders', 'bank_account_holders.party_id', 'sandbox_psus.party_id')
        .innerJoin('bank_accounts', 'bank_accounts.id', 'bank_account_holders.account_id')
        .select(['sandbox_psus.party_id', 'bank_accounts.id', 'bank_accounts.currency', 'bank_accounts.name', 'bank_accounts.nickname', 'bank_accounts.iban', 'bank_accounts.sort_code', 'bank_accounts.account_number', 'bank_accounts.card_masked_pan'])
        .orderBy('bank_accounts.opened_at')
        .orderBy('bank_accounts.id')
        .execute();
      const byParty = new Map<string, SandboxPsuAccount[]>();
      const cardsByParty = new Map<string, SandboxPsuCardAccount[]>();
      for (const a of accounts) {
        if (a.card_masked_pan !== null) {
          cardsByParty.set(a.party_id, [...(cardsByParty.get(a.party_id) ?? []), { accountId: a.id, currency: a.currency, name: a.name, maskedPan: a.card_masked_pan }]);
          continue;
        }
        const list = byParty.get(a.party_id) ?? [];
        list.push({ accountId: a.id, currency: a.currency, name: a.name, nickname: a.nickname, iban: a.iban, sortCode: a.sort_code, accountNumber: a.account_number });
        byParty.set(a.party_id, list);
      }
      return rows.map((row) => ({
        username: row.username,
        password: row.password,
        totpSecret: row.totp_secret,
        name: row.name,
        market: marketOf(row.country),
        accounts: byParty.get(row.party_id) ?? [],
        cardAccounts: cardsByParty.get(row.party_id) ?? [],
      }));
    },
    isSeeded: () => isSeeded(db),
    // Accounts go in with their final balances (the CHECK on the overdraft floor sees only final
    // values), and the deferred trigger re-checks every journal entry at commit.
    async writeBank({ dataset, passwordHashes, run, reset }, progress) {
      const tables = Object.entries(SANDBOX_TABLES).map(([name, table]) => [table, dataset[name as keyof typeof SANDBOX_TABLES]] as const);
      await db.transaction().execute(async (trx) => {
        // Two instances starting together on one database must not both seed it.
        await sql`LOCK TABLE sandbox_seed_runs IN EXCLUSIVE MODE`.execute(trx);
        if (await isSeeded(trx)) {
          if (!reset) throw new AppError(SandboxErrors.ALREADY_SEEDED);
          for (const table of RESET_ORDER) await trx.deleteFrom(table).execute();
        }
        for (const [table, rows] of tables) await insertChunked(trx, table, rows, (count) => progress(count, table.replace(/^bank_/, '')));
        const users: NewRow<'psu_users'>[] = dataset.psus.map((psu, i) => ({
          id: psu.userId,
          username: psu.username,
          password_hash: passwordHashes[i]!,
          totp_secret: psu.totpSecret,
          party_id: psu.partyId,
        }));
        await insertChunked(trx, 'psu_users', users, (count) => progress(count, 'psu users'));
        const published = dataset.psus.map((psu) => ({
          username: psu.username,
          password: psu.password,
          totp_secret: psu.totpSecret,
          name: psu.name,
          party_id: psu.partyId,
          position: psu.position,
        }));
        await insertChunked(trx, 'sandbox_psus', published, (count) => progress(count, 'psu users'));
        await trx.insertInto('sandbox_seed_runs').values(run).execute();
        await assertLedgerReconciles(trx);
      });
    },
  };
}

async function insertChunked(trx: Transaction<SandboxBankTables>, table: Table, rows: readonly object[], progress: (count: number) => void): Promise<void> {
  if (rows.length === 0) return;
  const columns = Math.max(1, ...rows.slice(0, 10).map((row) => Object.keys(row).length));
  const size = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS_PER_INSERT / columns)));
  for (let offset = 0; offset < rows.length; offset += size) {
    const chunk = rows.slice(offset, offset + size);
    // The table is a union here, which Kysely cannot type per row; the dataset's types already are.
    await trx.insertInto(table).values(chunk as never).execute();
    progress(chunk.length);
  }
}

/**
 * Every balance equals the sum of its postings, and every currency's postings sum to zero: checked
 * before the commit, so a generator bug cannot leave a bank that does not add up.
 */
async function assertLedgerReconciles(trx: Transaction<SandboxBankTables>): Promise<void> {
  const drift = await sql<{ id: string }>`
    SELECT a.id FROM bank_accounts a
      LEFT JOIN (SELECT account_id, sum(amount_minor) AS total FROM bank_postings GROUP BY account_id) p ON p.account_id = a.id
    WHERE a.balance_minor <> coalesce(p.total, 0)
    LIMIT 5`.execute(trx);
  if (drift.rows.length > 0) {
    throw new AppError(SandboxErrors.INCONSISTENT_LEDGER, { message: `balances differ from their postings: ${drift.rows.map((r) => r.id).join(', ')}` });
  }
  const unbalanced = await sql<{ currency: string }>`
    SELECT currency FROM bank_postings GROUP BY currency HAVING sum(amount_minor) <> 0`.execute(trx);
  if (unbalanced.rows.length > 0) {
    throw new AppError(SandboxErrors.INCONSISTENT_LEDGER, { message: `postings do not sum to zero in ${unbalanced.rows.map((r) => r.currency).join(', ')}` });
  }
}
