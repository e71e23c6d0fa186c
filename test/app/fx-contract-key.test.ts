import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createPortico, type Portico } from '../../src/app/index.ts';
import { agreeExchangeRate, type ExchangeRates } from '../../src/core/fx/index.ts';
import { loadConfig } from '../../src/platform/config/index.ts';
import { isAppError } from '../../src/platform/errors/index.ts';
import { silentLogger } from '../support/silent-logger.ts';

/**
 * The sandbox FX source's contract key comes from FX_CONTRACT_KEY: every instance (or restart)
 * with the same key honours the contracts another quoted; one with another key refuses them.
 */

const T0 = new Date('2026-05-04T10:00:00.000Z');

/** What a pino logger at `warn` wrote, one parsed line each. */
function capturingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, stream), lines };
}

describe('FX contracts signed with the configured key (FX_CONTRACT_KEY)', () => {
  const started: Portico[] = [];
  after(async () => {
    for (const portico of started) await portico.close();
  });

  /** A platform instance of its own (PGlite, its own data dir), not listening: its FX source is what matters here. */
  async function instance(env: Record<string, string>, logger = silentLogger): Promise<ExchangeRates> {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-fx-'));
    const portico = await createPortico(loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', ...env }, process.cwd()), { logger, seedSandbox: false });
    started.push(portico);
    assert.ok(portico.exchangeRates, 'the payment APIs are served in sandbox mode, with their FX source');
    return portico.exchangeRates;
  }

  const agreed = (contract: { contractIdentification: string; rate: string }) =>
    ({ rateType: 'Agreed', unitCurrency: 'GBP', targetCurrency: 'USD', exchangeRate: contract.rate, contractIdentification: contract.contractIdentification }) as const;

  it('two instances with the same key accept each other’s contracts; one with another key refuses them as unknown', async () => {
    const key = randomBytes(32).toString('base64');
    const first = await instance({ FX_CONTRACT_KEY: key });
    const second = await instance({ FX_CONTRACT_KEY: key });
    const stranger = await instance({ FX_CONTRACT_KEY: randomBytes(32).toString('base64') });

    const contract = await first.quote('GBP', 'USD', T0);
    assert.deepEqual(await second.findContract(contract.contractIdentification), contract);
    const terms = await agreeExchangeRate(second, agreed(contract), T0);
    assert.equal(terms.contractIdentification, contract.contractIdentification);
    assert.equal(terms.rate, '1.27');
    // And the other way round.
    const back = await second.quote('GBP', 'EUR', T0);
    assert.deepEqual(await first.findContract(back.contractIdentification), back);

    assert.equal(await stranger.findContract(contract.contractIdentification), undefined);
    await assert.rejects(agreeExchangeRate(stranger, agreed(contract), T0), (error: unknown) => isAppError(error) && error.code === 'FX.CONTRACT_UNKNOWN');
  });

  it('a sandbox instance without the key makes one up at start, says so, and honours no other instance’s contracts', async () => {
    const { logger, lines } = capturingLogger();
    const keyless = await instance({}, logger);
    const warning = lines.find((line) => line.msg.includes('FX_CONTRACT_KEY'));
    assert.ok(warning, `expected a warning about FX_CONTRACT_KEY, got ${JSON.stringify(lines)}`);
    assert.equal(warning.level, 40, 'logged at warn');
    const other = await instance({});
    const contract = await keyless.quote('GBP', 'USD', T0);
    assert.deepEqual(await keyless.findContract(contract.contractIdentification), contract);
    assert.equal(await other.findContract(contract.contractIdentification), undefined);
  });

  it('an instance with the key logs no such warning', async () => {
    const { logger, lines } = capturingLogger();
    await instance({ FX_CONTRACT_KEY: randomBytes(32).toString('base64') }, logger);
    assert.deepEqual(
      lines.filter((line) => line.msg.includes('FX_CONTRACT_KEY')),
      [],
    );
  });
});
