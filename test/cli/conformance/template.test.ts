import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatGoLayout, ScriptScope, UnresolvedPlaceholder } from '../../../src/cli/conformance/template.ts';

describe('conformance placeholders', () => {
  it('formats the Go reference layouts the manifests use, in one pass (a year holding "02" stays a year)', () => {
    const at = new Date('2026-12-05T09:07:03.120Z');
    assert.equal(formatGoLayout(at, '2006-01-02T15:04:05Z07:00'), '2026-12-05T09:07:03Z');
    assert.equal(formatGoLayout(at, '2006-01-02T15:04:05-07:00'), '2026-12-05T09:07:03+00:00');
    assert.equal(formatGoLayout(at, '2006-01-02T15:04:05.999Z'), '2026-12-05T09:07:03.12Z');
    assert.equal(formatGoLayout(at, '2006-01-02T15:04:05.999-07:00'), '2026-12-05T09:07:03.12+00:00');
    assert.equal(formatGoLayout(new Date('2026-02-02T02:02:02.000Z'), '2006-01-02T15:04:05.999Z'), '2026-02-02T02:02:02Z');
  });

  it('resolves a script parameter through the others, a self-reference through the run, and bodies whole', () => {
    const context = new Map<string, string>([['instructedAmountCurrency', 'GBP'], ['creditorName', 'ACME']]);
    const scope = new ScriptScope(
      {
        instructedAmountCurrency: '$instructedAmountCurrency',
        'OB-1-instructionIdentification': '$instructionIdentification',
        instructionIdentification: '$fn:instructionIdentificationID()',
        postData: '$body',
      },
      (name) => context.get(name),
      { body: { Data: { Currency: '$instructedAmountCurrency', Id: '$instructionIdentification', Name: 'to $creditorName' } } },
      () => new Date('2026-12-04T00:00:00Z'),
    );
    const body = scope.expand('$postData') as { Data: { Currency: string; Id: string; Name: string } };
    assert.equal(body.Data.Currency, 'GBP');
    assert.match(body.Data.Id, /^[0-9a-f]{24}$/);
    assert.equal(body.Data.Name, 'to ACME');
    assert.equal(scope.lookup('OB-1-instructionIdentification'), body.Data.Id, 'the kept copy is the value the body carried');
    assert.equal(scope.text('/consents/$instructedAmountCurrency/x'), '/consents/GBP/x');
  });

  it('names the placeholder nobody provided', () => {
    const scope = new ScriptScope({ consentId: '$OB-9-ConsentId' }, () => undefined, {});
    assert.throws(() => scope.text('/x/$consentId'), (error: unknown) => error instanceof UnresolvedPlaceholder && error.placeholder === 'OB-9-ConsentId');
  });
});
