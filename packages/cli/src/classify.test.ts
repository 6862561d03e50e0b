import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { embeddedDataPath, readRegimeLabels } from '@regimen/data';
import { cli } from '../test/harness.js';


const repo = fileURLToPath(new URL('../../../', import.meta.url));
const zodDir = dirname(createRequire(join(repo, 'packages/core/package.json')).resolve('zod/package.json'));

/**
 * A classifier whose every output is computable by hand: fit = mean of the training closes (and how
 * many there were); label = above (close > mean) / "below, or at"; one-hot probabilities; a summary
 * whose bic is not a number (so --json must print null for it). The comma in a regime name tests quoting.
 */
const LEVEL = `import { z } from 'zod';
export default {
  kind: 'classifier',
  name: 'level',
  options: z.object({ fail: z.enum(['none', 'fit', 'label']).default('none') }).strict(),
  fit(train, o) {
    if (o.fail === 'fit') throw new Error('no convergence');
    return { n: train.close.length, mean: train.close.reduce((a, b) => a + b, 0) / train.close.length };
  },
  regimes: () => ['above', 'below, or at'],
  label(d, m, o) {
    if (o.fail === 'label') throw new Error('bad bar');
    return Uint8Array.from(d.close, (c, t) => (t === 0 ? 255 : c > m.mean ? 0 : 1));
  },
  probabilities: (d, m) => Array.from(d.close, (c, t) => Float64Array.from(t === 0 ? [0, 0] : c > m.mean ? [1, 0] : [0, 1])),
  summary: (m) => ({ log_likelihood: m.n, aic: -1.5, bic: 'n/a' }),
};
`;

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'regimen-classify-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(zodDir, join(dir, 'node_modules/zod'), 'dir');
  writeFileSync(join(dir, 'level.js'), LEVEL);
  const closes = [10, 11, 12, 9, 8, 13, 14, 7, 15, 10];
  const data = join(dir, 'prices.csv');
  writeFileSync(data, ['date,close', ...closes.map((c, i) => `2020-01-${String(i + 1).padStart(2, '0')},${c}`)].join('\n') + '\n');
  return { dir, data, plugin: join(dir, 'level.js') };
}

describe('regimen classify', () => {
  afterEach(() => vi.restoreAllMocks());

  it('fits on the training fraction only and writes per-bar labels and probabilities as CSV', async () => {
    const f = fixture();
    const out = join(f.dir, 'labels.csv');
    const r = await cli('classify', '--load', f.plugin, '--classifier', 'level', '--data', f.data, '--train-fraction', '0.5', '--out', out, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // train = the first floor(0.5·10) = 5 closes 10, 11, 12, 9, 8: mean 10
    expect(JSON.parse(r.out)).toEqual({ classifier: 'level', regimes: ['above', 'below, or at'], log_likelihood: 5, aic: -1.5, bic: null, model: { n: 5, mean: 10 } });
    expect(readFileSync(out, 'utf8').trim().split('\n')).toEqual([
      'time,label,regime,p_above,"p_below, or at"',
      '2020-01-01,255,,0,0',
      '2020-01-02,0,above,1,0',
      '2020-01-03,0,above,1,0',
      '2020-01-04,1,"below, or at",0,1',
      '2020-01-05,1,"below, or at",0,1',
      '2020-01-06,0,above,1,0',
      '2020-01-07,0,above,1,0',
      '2020-01-08,1,"below, or at",0,1',
      '2020-01-09,0,above,1,0',
      '2020-01-10,1,"below, or at",0,1', // 10 is not above the mean 10
    ]);
  });

  it('writes Arrow by the extension, readable as a regime label file', async () => {
    const f = fixture();
    const out = join(f.dir, 'labels.arrow');
    const r = await cli('classify', '--load', f.plugin, '--classifier', 'level', '--data', f.data, '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('fitted on 7 bars');
    const back = readRegimeLabels(out);
    // default train fraction 0.7 → the first 7 closes, mean 77/7 = 11: 11 itself is not above
    expect(Array.from(back.labels)).toEqual([255, 1, 0, 1, 1, 0, 0, 1, 0, 1]);
    expect(back.names).toEqual(['above', 'below, or at']);
    expect(Array.from(back.probabilities![0]!)).toEqual([0, 0, 1, 0, 0, 1, 1, 0, 1, 0]);
    expect(back.time[1]! - back.time[0]!).toBe(86_400_000);
  });

  it('hmm: options from --option, AIC and BIC from its summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regimen-classify-'));
    const r = await cli('classify', '--classifier', 'hmm', '--option', 'states=2', '--option', 'restarts=2', '--option', 'features=["log_return"]',
      '--data', embeddedDataPath('msft_daily_ohlcv.csv'), '--out', join(dir, 'hmm.csv'), '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.regimes).toEqual(['bull', 'bear']);
    // k = 2·K·d + K(K−1) = 6 free parameters (stationary initial distribution)
    expect(j.aic).toBeCloseTo(2 * 6 - 2 * j.log_likelihood, 9);
    expect(j.bic).toBeCloseTo(6 * Math.log(j.model.train_bars) - 2 * j.log_likelihood, 9);
    expect(j.model.states).toBe(2);
    const csv = readFileSync(join(dir, 'hmm.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('time,label,regime,p_bull,p_bear');
    expect(csv).toHaveLength(250);
    for (const line of csv.slice(2)) {
      const [, label, regime, pBull, pBear] = line.split(',');
      expect(Number(pBull) + Number(pBear)).toBeCloseTo(1, 12);
      expect(regime).toBe(Number(pBull) >= Number(pBear) ? 'bull' : 'bear');
      expect(label).toBe(regime === 'bull' ? '0' : '1');
    }
  });

  it('pattern (by alias) with a boolean option has no fit statistics: nulls', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regimen-classify-'));
    const r = await cli('classify', '--classifier', 'pattern_based', '--option', 'trend=true', '--data', embeddedDataPath('msft_daily_ohlcv.csv'), '--out', join(dir, 'p.csv'), '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ classifier: 'pattern', regimes: ['breakout', 'range', 'trend_up', 'trend_down'], log_likelihood: null, aic: null, bic: null });
    expect(j.model.params.trend).toBe(true);
    expect(readFileSync(join(dir, 'p.csv'), 'utf8').split('\n')[0]).toBe('time,label,regime');
  });

  const bad: Array<[string, (f: ReturnType<typeof fixture>) => string[], RegExp]> = [
    ['an unknown classifier', () => ['--classifier', 'nope'], /unknown classifier "nope"/],
    ['an option outside its schema', () => ['--classifier', 'hmm', '--option', 'states=0'], /--option\.states = 0: plugin "hmm"/],
    ['a package that cannot be found', () => ['--classifier', 'x', '--load', 'regimen-classifier-missing'], /--load = "regimen-classifier-missing": cannot find plugin package/],
    ['fit throws', (f) => ['--classifier', 'level', '--load', f.plugin, '--option', 'fail=fit'], /plugin "level" failed in fit\(\): no convergence/],
    ['label throws', (f) => ['--classifier', 'level', '--load', f.plugin, '--option', 'fail=label'], /plugin "level" failed in label\(\): bad bar/],
    ['a train fraction outside (0, 1)', () => ['--classifier', 'hmm', '--train-fraction', '1.5'], /--train-fraction wants a number between 0 and 1/],
    ['an output that is neither CSV nor Arrow', (f) => ['--classifier', 'hmm', '--out', join(f.dir, 'x.json')], /--out = .*x\.json.*: write \.csv or Arrow/],
  ];
  it.each(bad)('%s: one line, exit 2', async (_what, args, line) => {
    const f = fixture();
    const r = await cli('classify', '--data', f.data, '--out', join(f.dir, 'out.csv'), ...args(f));
    expect(r.code, r.err).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(line);
  });
});
