import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matchesConsent, PaymentInstruction, type PaymentInstructionFields } from '../../../src/modules/consents/index.ts';

const consented: PaymentInstructionFields = {
  amount: { decimal: '10.50', currency: 'GBP' },
  creditor: { scheme: 'sort-code-account', identification: '12345612345678', name: 'Payee' },
  remittance: { reference: 'INV-1' },
  schedule: { executeAt: '2026-06-01T10:00:00Z' },
};
const of = (fields: PaymentInstructionFields) => PaymentInstruction.of(fields);

describe('PaymentInstruction', () => {
  it('equals an instruction that pays the same, whatever the spelling of its amount and date or the order of its members', () => {
    const respelt: PaymentInstructionFields = {
      schedule: { executeAt: '2026-06-01T11:00:00+01:00' },
      remittance: { reference: 'INV-1', unstructured: undefined },
      creditor: { name: 'Payee', identification: '12345612345678', scheme: 'sort-code-account' },
      amount: { decimal: '10.5', currency: 'GBP' },
      fx: {},
    };
    assert.equal(of(consented).equals(of(respelt)), true);
  });

  it('a submission that changes the amount, the payee, the reference, the date or the currency does not equal the consented instruction', () => {
    const changes: PaymentInstructionFields[] = [
      { ...consented, amount: { decimal: '10.51', currency: 'GBP' } },
      { ...consented, amount: { decimal: '10.50', currency: 'EUR' } },
      { ...consented, creditor: { ...consented.creditor!, identification: '12345612345679' } },
      { ...consented, creditor: { ...consented.creditor!, name: 'Mallory' } },
      { ...consented, remittance: { reference: 'INV-2' } },
      { ...consented, schedule: { executeAt: '2026-06-02T10:00:00Z' } },
      { ...consented, debtor: { scheme: 'iban', identification: 'GB29NWBK60161331926819' } },
    ];
    for (const changed of changes) assert.equal(of(consented).equals(of(changed)), false, JSON.stringify(changed));
  });

  it('an amount its currency cannot have equals only the same statement of it', () => {
    const tooPrecise = { ...consented, amount: { decimal: '10.505', currency: 'GBP' } };
    assert.equal(of(tooPrecise).equals(of(tooPrecise)), true);
    assert.equal(of(tooPrecise).equals(of(consented)), false);
  });

  it("matchesConsent needs the same instruction and the standard's echo rule kept", () => {
    assert.equal(matchesConsent({ submitted: of(consented), consented: of(consented), echoMatches: true }), true);
    assert.equal(matchesConsent({ submitted: of(consented), consented: of(consented), echoMatches: false }), false);
    assert.equal(matchesConsent({ submitted: of({ ...consented, remittance: {} }), consented: of(consented), echoMatches: true }), false);
  });
});
