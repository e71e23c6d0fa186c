import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { moneyText } from '../../src/ui/psu/money-text.ts';
import { accountDescription, accountIdentificationText, sortCodeText } from '../../src/ui/psu/account-texts.ts';

describe('PSU page texts: money, sort codes, accounts', () => {
  it('formats amounts as a UK customer reads them, exactly, in each currency’s decimal places', () => {
    assert.equal(moneyText(123456n, 'GBP'), '£1,234.56');
    assert.equal(moneyText(5n, 'GBP'), '£0.05');
    assert.equal(moneyText(-2000n, 'EUR'), '-€20.00');
    assert.equal(moneyText(500n, 'USD'), 'US$5.00');
    assert.equal(moneyText(5000n, 'JPY'), 'JP¥5,000');
    assert.equal(moneyText(1234n, 'KWD'), 'KWD\u00a01.234', 'a code, with a no-break space, where en-GB has no symbol');
    // 13 integer digits (the OB maximum) survive: no float on the way.
    assert.equal(moneyText(999999999999999n, 'GBP'), '£9,999,999,999,999.99');
  });

  it('shows a sort code in pairs, and a payee’s sort code and number apart; an IBAN in groups of four', () => {
    assert.equal(sortCodeText('123456'), '12-34-56');
    assert.equal(sortCodeText('12-34-56'), '12-34-56');
    assert.equal(accountIdentificationText('UK.OBIE.SortCodeAccountNumber', '04000412345678'), '04-00-04 12345678');
    assert.equal(accountIdentificationText('SortCodeAccountNumber', '04000412345678'), '04-00-04 12345678');
    assert.equal(accountIdentificationText('UK.OBIE.IBAN', 'gb29nwbk60161331926819'), 'GB29 NWBK 6016 1331 9268 19');
    assert.equal(accountIdentificationText('UK.OBIE.PAN', '5409050000000000'), '5409050000000000');
    assert.equal(accountIdentificationText(undefined, '04000412345678'), '04000412345678', 'no scheme, no guessing');
  });

  it('describes the PSU’s own account by type, sort code and only the last four digits', () => {
    const base = { holderKind: 'Personal' as const, currency: 'GBP', sortCode: '123456', accountNumber: '87655678', iban: 'GB00PORT12345687655678' };
    assert.equal(accountDescription({ ...base, subType: 'CurrentAccount' }), 'Current account · 12-34-56 · ending ••••5678');
    assert.equal(accountDescription({ ...base, subType: 'Savings' }), 'Savings account · 12-34-56 · ending ••••5678');
    assert.equal(accountDescription({ ...base, subType: 'CurrentAccount', holderKind: 'Business' }), 'Business current account · 12-34-56 · ending ••••5678');
    assert.equal(accountDescription({ ...base, subType: 'Loan', currency: 'EUR', sortCode: null, accountNumber: null, iban: 'DE89370400440532013000' }), 'Account · EUR · ending ••••3000');
    assert.doesNotMatch(accountDescription({ ...base, subType: 'CurrentAccount' }), /87655678/, 'never the full number');
    const card = { maskedPan: '525412******3241', creditLimitMinor: 1500_00n };
    assert.equal(accountDescription({ ...base, subType: 'CreditCard', currency: 'EUR', sortCode: null, accountNumber: null, iban: null, card }), 'Credit card · EUR · ending ••••3241', 'a card account by its card');
  });
});
