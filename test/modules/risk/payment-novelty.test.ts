import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectWindow, newModelBook, windowFeatures, type SubjectState, type TrailEntry } from '../../../src/modules/risk/index.ts';
import { AMOUNT_MEMORY, amountBaseline, amountText, judgePayments, newPayeeShare, PAYEE_MEMORY, rememberPayments, type PaymentSeen } from '../../../src/modules/risk/payment-novelty.ts';

const T0 = new Date('2026-03-02T10:00:00Z');
const window = (minute: number) => ({ from: new Date(T0.getTime() + minute * 60_000), to: new Date(T0.getTime() + (minute + 1) * 60_000) });
let sequence = 0;

/** A new payment's trail record, as the audit consumer writes it from its PaymentStatusChanged (pending). */
function paid(psuId: string, tppId: string, amountMinor: bigint, payee: string | undefined, minute = 0, currency = 'GBP'): TrailEntry {
  const paymentId = `pmt-${++sequence}`;
  return {
    at: new Date(T0.getTime() + minute * 60_000 + 1000),
    kind: 'payment',
    action: 'PaymentStatusChanged',
    outcome: 'pending',
    clientId: tppId,
    organisationId: null,
    consentId: `pc-${sequence}`,
    psuId,
    interactionId: `i-${sequence}`,
    details: { eventId: `e-${sequence}`, version: 2, aggregate: { type: 'payment', id: paymentId, version: 1 }, payload: { paymentId, consentId: `pc-${sequence}`, status: 'pending', psuId, amountMinor: amountMinor.toString(), currency, ...(payee ? { payee } : {}) } },
  };
}

const seen = (amountMinor: bigint, payee: string, tppId = 'tpp-a', currency = 'GBP'): PaymentSeen => ({ paymentId: `pmt-${++sequence}`, tppId, psuId: 'psu-1', amountMinor, currency, payee, interactionId: undefined });
const NONE: SubjectState = { baselines: {}, hours: [], networks: [], windows: 0 };

describe('payment features', () => {
  it('reads what a new payment ordered from its record: per TPP and per PSU, the amount in minor units, the payee', () => {
    const legacy: TrailEntry = { ...paid('psu-1', 'tpp-a', 100n, 'payee-x'), details: { payload: { paymentId: 'old', consentId: 'c', status: 'pending' } } };
    const activities = new Map(windowFeatures([paid('psu-1', 'tpp-a', 980_000n, 'payee-x'), legacy, { ...paid('psu-1', 'tpp-a', 5n, 'payee-y'), outcome: 'settled' }], window(0)).map((a) => [`${a.subject.kind}:${a.subject.id}`, a]));
    const tpp = activities.get('tpp:tpp-a')!;
    const psu = activities.get('psu:psu-1')!;
    assert.equal(tpp.values['payments'], 2, 'both new payments count; a settlement is not a new payment');
    assert.equal(psu.values['payments'], 2);
    assert.deepEqual(
      psu.payments.map((p) => [p.amountMinor, p.currency, p.payee, p.tppId]),
      [[980_000n, 'GBP', 'payee-x', 'tpp-a']],
      'a record written before events carried the order counts, but tells no amount',
    );
    assert.equal(tpp.payments.length, 1);
  });

  it('formats an amount as an operator reads it, in the currency’s own decimals', () => {
    assert.equal(amountText(980_000n, 'GBP'), '9,800.00 GBP');
    assert.equal(amountText(1_234_567n, 'JPY'), '1,234,567 JPY');
    assert.equal(amountText(5n, 'EUR'), '0.05 EUR');
  });

  it('judges amounts against the median and MAD of their logs, the spread of a short history shrunk toward a typical one', () => {
    assert.equal(amountBaseline([Math.log(1000), Math.log(1100)]), undefined, 'two payments are no baseline');
    const steady = amountBaseline(Array.from({ length: 30 }, () => Math.log(5000)))!;
    assert.equal(steady.median, Math.log(5000));
    assert.ok(steady.scale >= 0.3, 'never judged against no spread at all');
    const short = amountBaseline([Math.log(5000), Math.log(5000), Math.log(5000)])!;
    assert.ok(short.scale > steady.scale, 'three payments alike are not yet proof of a steady payer');
  });
});

describe('payee and amount novelty', () => {
  const history = (amounts: readonly bigint[], payees: readonly string[]) => rememberPayments('psu', NONE, amounts.map((amount, i) => seen(amount, payees[i % payees.length]!)), false);

  it('a payment to a payee never paid, far above the PSU’s usual amounts, is a payout; the evidence says so in words', () => {
    const memory = history([6_500n, 7_000n, 7_500n, 6_800n, 7_200n, 7_100n], ['landlord', 'grocer']);
    const judgement = judgePayments('psu', memory, [seen(980_000n, 'mule-1', 'tpp-x')]);
    assert.equal(judgement.newPayees, 1);
    assert.ok(judgement.payout, 'a payout');
    assert.ok(judgement.payout.ratio >= 100 && judgement.payout.deviation >= 3, JSON.stringify(judgement.payout));
    assert.match(judgement.payout.summary, /^payment of 9,800\.00 GBP, 1\d\d(\.\d)?× the PSU's median \(70\.\d\d GBP over its last 6 payments in GBP\), to a payee it had not paid before, via TPP tpp-x$/);
  });

  it('a large payment to a known payee, or an ordinary one to a new payee, is not', () => {
    const memory = history([6_500n, 7_000n, 7_500n, 6_800n, 7_200n, 150_000n], ['grocer', 'grocer', 'grocer', 'grocer', 'grocer', 'landlord']);
    const rent = judgePayments('psu', memory, [seen(160_000n, 'landlord')]);
    assert.equal(rent.newPayees, 0);
    assert.equal(rent.payout, undefined);
    assert.ok(rent.amountDeviation > 3, 'still a large amount for the model');
    const newShop = judgePayments('psu', memory, [seen(7_300n, 'new-shop')]);
    assert.equal(newShop.newPayees, 1);
    assert.ok(newShop.payout!.ratio < 2, 'an ordinary amount');
  });

  it('is not judged on amount before three payments of the currency, nor through a TPP whose payments mostly go to new payees', () => {
    assert.equal(judgePayments('psu', history([7_000n, 7_000n], ['grocer']), [seen(980_000n, 'mule')]).payout, undefined);
    const memory = history([7_000n, 7_000n, 7_000n, 7_000n], ['grocer']);
    assert.equal(judgePayments('psu', memory, [seen(980_000n, 'mule', 'checkout')], (tpp) => (tpp === 'checkout' ? 0.9 : 0)).payout, undefined);
    assert.equal(judgePayments('psu', memory, [seen(980_000n, 'mule', 'checkout')], () => 0.3).payout?.paymentId !== undefined, true);
    assert.equal(judgePayments('psu', memory, [seen(980_000n, 'mule', 'euro')].map((p) => ({ ...p, currency: 'EUR' }))).payout, undefined, 'each currency its own history');
  });

  it('keeps bounded sketches: the last 32 amounts of at most 4 currencies, the 64 most recent payees; a window a rule fired on teaches its payees but not its amounts', () => {
    let memory = rememberPayments('psu', NONE, Array.from({ length: 100 }, (_, i) => seen(BigInt(1000 + i), `payee-${i}`)), false);
    assert.equal(memory.amounts!['GBP']!.length, AMOUNT_MEMORY);
    assert.equal(memory.payees!.length, PAYEE_MEMORY);
    assert.ok(!memory.payees!.includes('payee-0') && memory.payees!.includes('payee-99'.slice(0, 12)), 'the least recently paid are forgotten first');
    for (const currency of ['EUR', 'USD', 'CHF', 'SEK']) memory = rememberPayments('psu', memory, [seen(1000n, 'p', 'tpp-a', currency)], false);
    assert.deepEqual(Object.keys(memory.amounts!), ['EUR', 'USD', 'CHF', 'SEK'], 'the currency paid longest ago goes');
    const flagged = rememberPayments('psu', memory, [seen(9_000_000n, 'mule', 'tpp-a', 'SEK')], true);
    assert.deepEqual(flagged.amounts, memory.amounts, 'a payout is not learnt as a usual amount');
    assert.equal(flagged.payees!.at(-1), 'mule', 'but its payee is known from now on');
  });

  it('keeps a TPP’s share of payments to payees new to their PSU', () => {
    let tpp = rememberPayments('tpp', NONE, Array.from({ length: 10 }, () => seen(1000n, 'p')), false, 10);
    assert.equal(newPayeeShare(tpp), 1);
    for (let i = 0; i < 100; i++) tpp = rememberPayments('tpp', tpp, Array.from({ length: 10 }, () => seen(1000n, 'p')), false, 1);
    assert.ok(newPayeeShare(tpp) > 0.1 && newPayeeShare(tpp) < 0.2, String(newPayeeShare(tpp)));
    assert.equal(newPayeeShare(undefined), 0);
  });
});

describe('new-payee-payout over windows', () => {
  /** Three days of a PSU paying its grocer and its landlord through tpp-a, and other PSUs paying theirs. */
  function warm() {
    const states = new Map<string, SubjectState>();
    const models = newModelBook();
    for (let minute = 0; minute < 60; minute++) {
      const entries = [paid('psu-1', 'tpp-a', BigInt(6_000 + ((minute * 37) % 2_000)), minute % 10 === 0 ? 'landlord' : 'grocer', minute), paid(`psu-${minute + 2}`, 'tpp-a', 5_000n, `shop-${minute % 3}`, minute)];
      if (minute === 30) entries.push(paid('psu-1', 'tpp-a', 120_000n, 'landlord', minute));
      assert.deepEqual(detectWindow(window(minute), entries, states, models), [], `ordinary payments raise nothing (${minute})`);
    }
    return { states, models };
  }

  it('raises a high alert on the PSU with the payment in evidence', () => {
    const { states, models } = warm();
    const detections = detectWindow(window(60), [paid('psu-1', 'tpp-x', 980_000n, 'mule-1', 60)], states, models);
    assert.deepEqual(detections.map((d) => [d.rule, d.subject.kind, d.subject.id]), [['new-payee-payout', 'psu', 'psu-1']]);
    const [alert] = detections;
    assert.ok(['high', 'critical'].includes(alert!.severity));
    const payment = alert!.evidence['payment'] as { amount: string; tpp: string; payee: string; ratio: number };
    assert.equal(payment.amount, '9,800.00 GBP');
    assert.equal(payment.tpp, 'tpp-x');
    assert.equal(payment.payee, 'mule-1');
    assert.match(String(alert!.evidence['summary']), /^payment of 9,800\.00 GBP, \d+(\.\d)?× the PSU's median .* to a payee it had not paid before, via TPP tpp-x$/);
    assert.ok(alert!.consentIds.length === 1, 'the consent it was paid under, for force-reauthentication');
  });

  it('raises nothing for the rent paid to the landlord, nor a first payment to a new shop', () => {
    const { states, models } = warm();
    assert.deepEqual(detectWindow(window(60), [paid('psu-1', 'tpp-a', 130_000n, 'landlord', 60), paid('psu-1', 'tpp-a', 7_000n, 'new-shop', 60)], states, models), []);
  });

  it('starts a stored model reservoir of an older shape again rather than mixing vectors', () => {
    const models = newModelBook();
    models.psu.reservoir.push([1, 2, 3, 4, 5]);
    models.psu.seen = 1;
    detectWindow(window(0), [paid('psu-1', 'tpp-a', 5_000n, 'grocer')], new Map(), models);
    assert.ok(models.psu.reservoir.every((vector) => vector.length === models.psu.reservoir.at(-1)!.length && vector.length > 5));
  });
});
