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
 * The transaction context for a Kysely transaction already open. For code that still holds the
 * transaction itself (callbacks of `withIdempotency`) while its module moves to repositories.
 */
export function txContextOf(trx: Transaction<DatabaseSchema>): TxContext {
  const tx = Object.freeze({}) as TxContext;
  transactions.set(tx, trx);
  return tx;
}

/** The Kysely transaction behind a context: for repository implementations only. */
export function transactionOf(tx: TxContext): Transaction<DatabaseSchema> {
  const trx = transactions.get(tx);
  if (!trx) throw new Error('not a transaction context of this unit of work');
  return trx;
}

/**
 * Where a repository runs a statement: in the caller's transaction when it passes one, on the
 * database otherwise (a statement of its own).
 */
export function executorOf(db: Db, tx: TxContext | undefined): Kysely<DatabaseSchema> {
  return tx ? transactionOf(tx) : db;
}

/**
 * The unit of work over one database. Kysely does not nest transactions, so work that must join a
 * transaction already open takes the caller's `TxContext` instead of calling `run` again.
 */
export function createUnitOfWork(db: Db): UnitOfWork {
  return {
    run: (fn) => db.transaction().execute((trx) => fn(txContextOf(trx))),
  };
}
