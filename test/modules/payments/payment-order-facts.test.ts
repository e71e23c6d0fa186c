import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { internalAccountId, LedgerCoreBanking } from '../../../src/core/adapters/ledger/index.ts';
import { PaymentInstruction } from '../../../src/modules/consents/index.ts';
import { requestHash } from '../../../src/modules/idempotency/index.ts';
import { createPaymentsModule, payeeFingerprint, PaymentStatusChangedV2 } from '../../../src/modules/payments/index.ts';
import type { PersonalDataCipher } from '../../../src/platform/keystore/index.ts';
import { consentsOf } from '../../support/consents-module.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { fund, openAccount } from '../../support/ledger-fixtures.ts';
import { testPersonalDataCipher } from '../../support/personal-data-cipher.ts';

const T0 = new Date('2026-05-04T10:00:00Z');

describe('payee fingerprints', () => {
  const key = randomBytes(32);
  it('name a creditor account the same however its identification is spaced or cased, and differently under another key', () => {
    const iban = { scheme: 'IBAN', identification: 'GB33BUKB20201555555555' };
    assert.equal(payeeFingerprint(key, { scheme: 'IBAN', identification: 'gb33 bukb 2020 1555 5555 55' }), payeeFingerprint(key, iban));
    assert.match(payeeFingerprint(key, iban), /^[A-Za-z0-9_-]{22}$/, '128 bits, base64url');
    assert.notEqual(payeeFingerprint(key, { scheme: 'IBAN', identification: 'GB33BUKB20201555555556' }), payeeFingerprint(key, iban));
    assert.notEqual(payeeFingerprint(key, { scheme: 'SortCodeAccountNumber', identification: 'GB33BUKB20201555555555' }), payeeFingerprint(key, iban), 'the scheme is part of the payee');
    assert.notEqual(payeeFingerprint(randomBytes(32), iban), payeeFingerprint(key, iban));
  });
});

for (const dialect of DIALECTS) {
  describe(`a new payment's event carries what was ordered (${dialect})`, () => {
    let database: TestDatabase;
    let cipher: PersonalDataCipher;
    const payeeKey = randomBytes(32);
    const creditor = { name: 'Payee', scheme: 'SortCodeAccountNumber', identification: '99999912345678' };

    before(async () => {
      database = await openTestDatabase(dialect);
      cipher = await testPersonalDataCipher(database.db);
      await database.db
        .insertInto('bank_accounts')
        .values({ id: internalAccountId('clearing', 'GBP'), holder_kind: 'Internal', sub_type: 'Internal', currency: 'GBP', name: 'Clearing', nickname: null, sort_code: null, account_number: null, iban: null, bic: null, product_id: null, status: 'Enabled', opened_at: T0, overdraft_limit_minor: 0n, allow_negative: true })
        .execute();
    });
    after(() => database?.close());

    /** Submits a payment of `amount` GBP to `creditor` by psu-7 through a module made with `key`; answers its events' payloads. */
    async function eventsOfPayment(amount: string, key: Uint8Array | undefined): Promise<Array<Record<string, unknown>>> {
      const db = database.db;
      const core = new LedgerCoreBanking(db);
      const debtor = await openAccount(db);
      await fund(db, internalAccountId('clearing', 'GBP'), debtor, 100_000_00n);
      const payments = createPaymentsModule({ db, cipher, consents: consentsOf(db), core, payeeKey: key });
      const terms = { amount: { decimal: amount, currency: 'GBP' }, creditor, reference: 'INV-9' };
      const request = { Data: { Initiation: { amount } }, Risk: {} };
      const consent = await payments.stageDomesticPaymentConsent({ clientId: 'client-9', idempotencyKey: randomUUID(), terms, requestHash: requestHash(request) }, T0);
      await consentsOf(db).authorise(consent.id, { psuId: 'psu-7', partyId: `party-${debtor}`, accountIds: [debtor] }, T0);
      const instruction = PaymentInstruction.of({ amount: terms.amount, creditor, remittance: { reference: terms.reference } });
      const { payment } = await payments.submitDomesticPayment(
        { consent: (await consentsOf(db).find(consent.id, T0))!, consentId: consent.id, match: { submitted: instruction, consented: instruction, echoMatches: true }, requestHash: requestHash({ ...request, ConsentId: consent.id }), idempotencyKey: randomUUID(), shareRefundAccount: false },
        T0,
      );
      await payments.executePayment(payment.id, T0);
      const rows = await db.selectFrom('outbox_events').select('payload').where('event_type', '=', PaymentStatusChangedV2.type).where('aggregate_id', '=', payment.id).orderBy('seq').execute();
      return rows.map((row) => row.payload as Record<string, unknown>);
    }

    it('the pending event names the PSU, the amount in minor units and the currency, and the payee by its fingerprint; later ones only the status', async () => {
      const [pending, ...later] = await eventsOfPayment('9800.00', payeeKey);
      assert.deepEqual({ ...pending, paymentId: undefined, consentId: undefined }, {
        paymentId: undefined,
        consentId: undefined,
        status: 'pending',
        psuId: 'psu-7',
        amountMinor: '980000',
        currency: 'GBP',
        payee: payeeFingerprint(payeeKey, creditor),
      });
      assert.ok(PaymentStatusChangedV2.payload.safeParse(pending).success, 'within its contract');
      assert.ok(later.length > 0, 'the payment was executed');
      for (const event of later) assert.deepEqual(Object.keys(event).sort(), ['consentId', 'paymentId', 'status']);
      assert.ok(!JSON.stringify([pending, ...later]).includes(creditor.identification), 'the account number is not in the events');
    });

    it('without the bank’s key the event names no payee', async () => {
      const [pending] = await eventsOfPayment('12.50', undefined);
      assert.equal(pending!['amountMinor'], '1250');
      assert.equal(pending!['payee'], undefined);
    });
  });
}
