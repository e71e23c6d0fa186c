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
    transacted_at: s.transactedAt ?? null,
    original_amount_minor: s.originalAmount?.amountMinor ?? null,
    original_currency: s.originalAmount?.currency ?? null,
    exchange_rate: s.exchangeRate ?? null,
    card_acceptor_id: s.cardAcceptorId ?? null,
  };
}
