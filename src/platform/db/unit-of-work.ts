import type { Kysely, Transaction } from 'kysely';
import type { Db } from './create-database.ts';
import type { DatabaseSchema } from './schema.ts';

declare const txContextBrand: unique symbol;

/**
 * One open database transaction, passed between modules whose writes must commit together (a
 * consent and its idempotency claim, a payment and its outbox event). Opaque: a module hands it to
 * its repository, and only a repository implementation (a module's `infra/`) opens it with
 * `transactionOf`.
 */
export interface TxContext {
  readonly [txContextBrand]: true;
}

/** Runs work in one transaction: it commits when `fn` resolves and rolls back when `fn` throws. */
export interface UnitOfWork {
  run<T>(fn: (tx: TxContext) => Promise<T>): Promise<T>;
}

const transactions = new WeakMap<TxContext, Transaction<DatabaseSchema>>();

/**
 * Tables a module owns, as it declares them in its `infra/`: each must be the table of that name
 * in the whole schema, so a module's view cannot drift from the database.
 */
export type OwnedTables<S> = { [K in keyof S]: K extends keyof DatabaseSchema ? DatabaseSchema[K] : never };

/** The database as a module's repository sees it: only the tables it owns. */
export function ownTables<S extends OwnedTables<S>>(db: Db): Kysely<S> {
  return db as unknown as Kysely<S>;
}

/**
 * The transaction context for a Kysely transaction already open. For code that still holds the
 * transaction itself (callbacks of `withIdempotency`) while its module moves to repositories.
 */
export function txContextOf(trx: Transaction<DatabaseSchema>): TxContext {
  const tx = Object.freeze({}) as TxContext;
  transactions.set(tx, trx);
  return tx;
}

/** The Kysely transaction behind a context, over the tables `S` (default all): for repository implementations only. */
export function transactionOf<S extends OwnedTables<S> = DatabaseSchema>(tx: TxContext): Transaction<S> {
  const trx = transactions.get(tx);
  if (!trx) throw new Error('not a transaction context of this unit of work');
  return trx as unknown as Transaction<S>;
}

/**
 * Where a repository runs a statement: in the caller's transaction when it passes one, on the
 * database otherwise (a statement of its own).
 */
export function executorOf<S extends OwnedTables<S> = DatabaseSchema>(db: Db, tx: TxContext | undefined): Kysely<S> {
  return tx ? transactionOf<S>(tx) : ownTables<S>(db);
}

/** Work a unit of work runs in its transaction once `fn` has resolved, just before it commits. */
const beforeCommit = new WeakMap<TxContext, Array<() => Promise<void>>>();

/**
 * Has `work` run in the transaction just before it commits (after everything else the unit of work
 * does), so that writes gathered along the way go in one statement: the outbox's events
 * (src/platform/events). False when the context was not opened by a unit of work's `run` (a
 * transaction opened elsewhere and wrapped with `txContextOf`): the caller writes at once instead.
 */
export function deferUntilCommit(tx: TxContext, work: () => Promise<void>): boolean {
  const hooks = beforeCommit.get(tx);
  if (!hooks) return false;
  hooks.push(work);
  return true;
}

/**
 * The unit of work over one database. Kysely does not nest transactions, so work that must join a
 * transaction already open takes the caller's `TxContext` instead of calling `run` again.
 */
export function createUnitOfWork(db: Db): UnitOfWork {
  return {
    run: (fn) =>
      db.transaction().execute(async (trx) => {
        const tx = txContextOf(trx);
        const hooks: Array<() => Promise<void>> = [];
        beforeCommit.set(tx, hooks);
        const result = await fn(tx);
        while (hooks.length > 0) await hooks.shift()!();
        return result;
      }),
  };
}
