import type { StatementDetails } from '../../ports/index.ts';

/** The `bank_transactions` columns of what a statement line says (`StatementDetails`); absent details are stored as null. */
export function statementColumns(s: StatementDetails) {
  return {
    description: s.description,
    reference: s.reference ?? null,
    bank_transaction_code: s.bankTransactionCode,
    bank_transaction_subcode: s.bankTransactionSubcode,
    merchant_name: s.merchantName ?? null,
    merchant_category_code: s.merchantCategoryCode ?? null,
    counterparty_name: s.counterpartyName ?? null,
    counterparty_scheme: s.counterpartyScheme ?? null,
    counterparty_identification: s.counterpartyIdentification ?? null,
    card_masked_pan: s.cardMaskedPan ?? null,
    // A card transaction's own details (0056) only where there are some: other lines leave them to their default, null.
    ...(s.transactedAt ? { transacted_at: s.transactedAt } : {}),
    ...(s.originalAmount ? { original_amount_minor: s.originalAmount.amountMinor, original_currency: s.originalAmount.currency } : {}),
    ...(s.exchangeRate ? { exchange_rate: s.exchangeRate } : {}),
    ...(s.cardAcceptorId ? { card_acceptor_id: s.cardAcceptorId } : {}),
  };
}
