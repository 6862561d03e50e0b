import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { embeddedDataPath, readArrowTable, tableOf, writeArrowTable } from '@regimen/data';
import { cli } from '../test/harness.js';


/** An independent, deliberately naive SMA-crossover backtest (DESIGN §5) to check the CLI against. */
function naiveSmaCross(p: number[], fast: number, slow: number, fee: number, longShort: boolean) {
  const sma = (t: number, w: number) => {
    let s = 0;
    for (let i = t - w + 1; i <= t; i++) s += p[i]!;
    return s / w;
  };
  const pos = p.map((_, t) => {
    if (t < Math.max(fast, slow) - 1) return 0;
    const f = sma(t, fast), s = sma(t, slow);
    if (f - s > 1e-9 * Math.abs(s)) return 1;
    if (s - f > 1e-9 * Math.abs(s)) return longShort ? -1 : 0;
    return 0;
  });
  const rets: number[] = [];
  let trades = 0;
  for (let t = 1; t < p.length; t++) {
    rets.push(pos[t - 1]! * (p[t]! / p[t - 1]! - 1) - fee * Math.abs(pos[t]! - pos[t - 1]!));
    if (pos[t] !== pos[t - 1]) trades++;
  }
  const equity = rets.reduce((e, r) => e * (1 + r), 1);
  const mean = rets.reduce((a, b) => a + b, 0) / rets.length;
  const sd = Math.sqrt(rets.reduce((a, r) => a + (r - mean) ** 2, 0) / (rets.length - 1));
  return { total_return: equity - 1, sharpe: (mean / sd) * Math.sqrt(252), trades };
}

describe('regimen CLI', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints help for the program and each command', async () => {
    const top = await cli('--help');
    expect(top.code).toBe(0);
    for (const c of ['run', 'status', 'inspect', 'backtest', 'bench', 'plugins', 'classify', 'plugin', 'worker']) expect(top.out).toContain(c);
    const run = await cli('run', '--help');
    expect(run.code).toBe(0);
    expect(run.out).toContain('--from-phase');
    expect(run.out).toContain('--executor <url>');
    const worker = await cli('worker', '--help');
    expect(worker.out).toMatch(/--redis <url>.*--concurrency <n>.*--lock-seconds.*--stalled-seconds.*--max-stalled/s);
    const bench = await cli('bench', '--help');
    expect(bench.code).toBe(0);
    expect(bench.out).toMatch(/sma-cross.*phase1.*replay/s);
    expect(bench.out).toContain('--workers N');
  });

  it('backtests sma_crossover with --json exactly per DESIGN §5', async () => {
    const data = embeddedDataPath('msft_daily_ohlcv.csv');
    const closes = readFileSync(data, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[4]));
    for (const side of ['long_only', 'long_short']) {
      const r = await cli('backtest', '--strategy', 'sma_crossover', '--param', 'fast=20', '--param', 'slow=50', '--param', `side=${side}`, '--data', data, '--fee', '0.001', '--json');
      expect(r.code).toBe(0);
      const res = JSON.parse(r.out);
      expect(Object.keys(res.metrics).sort()).toEqual(['cagr', 'exposure', 'max_drawdown', 'sharpe', 'sortino', 'total_return', 'trades', 'volatility']);
      expect(res.bars).toBe(249);
      expect(res.params).toEqual({ fast: 20, slow: 50, side });
      const ref = naiveSmaCross(closes, 20, 50, 0.001, side === 'long_short');
      expect(res.metrics.trades).toBe(ref.trades);
      expect(res.metrics.total_return).toBeCloseTo(ref.total_return, 12);
      expect(res.metrics.sharpe).toBeCloseTo(ref.sharpe, 10);
      expect(res.metrics.cagr).toBeCloseTo((1 + ref.total_return) ** (252 / 248) - 1, 12);
    }
  });

  it('turns bad input into one line and exit code 2, without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regimen-cli-'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'date,close\n2020-01-02,10\n2020-01-01,11\n2020-01-03,12\n');
    const cases: Array<[string[], RegExp]> = [
      [['backtest', '--strategy', 'sma_crossover', '--data', join(dir, 'missing.csv')], /missing\.csv/],
      [['backtest', '--strategy', 'sma_crossover', '--data', bad], /bad\.csv.*(order|increas)/i],
      [['backtest', '--strategy', 'nope', '--data', bad], /strategy.*nope/],
      [['backtest', '--strategy', 'momentum', '--param', 'lookbak=3', '--data', bad], /lookbak/],
      [['run', join(dir, 'none.yaml')], /none\.yaml/],
      [['inspect', join(dir, 'x.txt')], /x\.txt/],
      [['run', '--workers', 'many', 'x.yaml'], /--workers/],
    ];
    for (const [args, re] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.err, args.join(' ')).toMatch(re);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    const debug = await cli('--debug', 'backtest', '--strategy', 'sma_crossover', '--data', join(dir, 'missing.csv'));
    expect(debug.code).toBe(2);
    expect(debug.err).toMatch(/\n\s+at /);
  });

  it('lists the built-in plugins', async () => {
    const r = await cli('plugins', '--json');
    expect(r.code).toBe(0);
    const names = JSON.parse(r.out).map((p: { kind: string; name: string }) => `${p.kind}:${p.name}`);
    expect([...names].sort()).toEqual([
      'classifier:hmm', 'classifier:pattern', 'optimizer:genetic', 'optimizer:grid', 'optimizer:random', 'optimizer:tpe',
      'strategy:breakout', 'strategy:mean_reversion', 'strategy:momentum', 'strategy:rsi', 'strategy:sma_crossover',
    ]);
    // strategies with their parameters and defaults (side is the host's, listed for none)
    const options = Object.fromEntries(JSON.parse(r.out).map((p: { name: string; options: string }) => [p.name, p.options]));
    expect(options).toMatchObject({ momentum: 'lookback=20 threshold=0', sma_crossover: 'fast=10 slow=30', rsi: 'period=14 lower=30 upper=70', breakout: 'lookback=20', random: 'sampler="uniform" max_attempts=10000' });
    const regimes = Object.fromEntries(JSON.parse(r.out).map((p: { name: string; regimes: string }) => [p.name, p.regimes]));
    expect(regimes).toMatchObject({ hmm: 'bull,neutral,bear', pattern: 'breakout,range' });
  });
});

describe('strategy plugins on the command line', () => {
  it('lists a loaded strategy plugin with its parameters, and backtests it like the built-in rule it implements', async () => {
    const listed = await cli('plugins', '--load', '@regimen/strategy-sma-cross', '--json');
    expect(listed.code, listed.err).toBe(0);
    const mine = JSON.parse(listed.out).find((p: { name: string }) => p.name === 'sma-cross');
    expect(mine).toMatchObject({ kind: 'strategy', source: '@regimen/strategy-sma-cross', options: 'fast=10 slow=30', wasm: true });
    const table = await cli('plugins', '--load', '@regimen/strategy-sma-cross');
    expect(table.out).toMatch(/strategy \(wasm\)\s+sma-cross/);

    const data = embeddedDataPath('msft_daily_ohlcv.csv');
    const run = (...a: string[]) => cli('backtest', ...a, '--param', 'fast=5', '--param', 'slow=20', '--param', 'side=long_short', '--data', data, '--json');
    const plugin = await run('--load', '@regimen/strategy-sma-cross', '--strategy', 'sma-cross');
    const builtin = await run('--strategy', 'sma_crossover');
    expect(plugin.code, plugin.err).toBe(0);
    expect(JSON.parse(plugin.out).metrics).toEqual(JSON.parse(builtin.out).metrics);
    const unknown = await cli('backtest', '--strategy', 'sma-cros', '--load', '@regimen/strategy-sma-cross', '--data', data);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/--strategy = "sma-cros": unknown strategy \(registered: breakout, mean_reversion, momentum, rsi, sma-cross, sma_crossover\)/);
  });
});

describe('regimen run, status and inspect on a workspace', () => {
  it('runs a small workflow, reports its status and reads back every kind of file', async () => {
    const { smallWorkflow } = await import('@regimen/coordinator');
    const { dir, config } = smallWorkflow();
    const ws = join(dir, 'ws');
    const run = await cli('run', config, '--out', ws, '--workers', '0', '--json');
    expect(run.code, run.err).toBe(0);
    const summary = JSON.parse(run.out);
    expect(summary.ran).toEqual(['parameter_discovery', 'regime_analysis', 'ensemble_optimization', 'validation']);
    expect(summary.validation.checks.look_ahead.passed).toBe(true);

    // the same config into the same workspace resumes it: every phase is up to date
    const again = await cli('run', config, '--out', ws, '--workers', '0', '--json');
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out).skipped).toHaveLength(4);
    const byFolder = await cli('run', ws, '--resume', '--workers', '0', '--json');
    expect(byFolder.code, byFolder.err).toBe(0);
    expect(JSON.parse(byFolder.out).skipped).toHaveLength(4);
    // a changed config is refused, naming the way out
    writeFileSync(config, readFileSync(config, 'utf8').replace('seed: 11', 'seed: 12'));
    const changed = await cli('run', config, '--out', ws, '--workers', '0');
    expect(changed.code).toBe(2);
    expect(changed.err).toMatch(/config changed.*--force/);
    writeFileSync(config, readFileSync(config, 'utf8').replace('seed: 12', 'seed: 11'));

    const status = await cli('status', ws, '--json');
    expect(status.code).toBe(0);
    const s = JSON.parse(status.out);
    expect(s.phases.every((p: { checkpoint: unknown }) => p.checkpoint !== null)).toBe(true);
    expect(s.trials).toEqual({ planned: 8, done: 8 });

    const trials = JSON.parse(readFileSync(join(ws, 'metadata', 'trials.json'), 'utf8')).trials as Array<{ trial_id: string }>;
    for (const f of [
      'metadata/workflow.json',
      'analysis/regime_optimal_params.json',
      'analysis/ensemble_weights.json',
      'performance/validation_results.json',
      `performance/trial_${trials[0]!.trial_id}.json`,
      `signals/trial_${trials[0]!.trial_id}.arrow`,
      'signals/regimes/hmm.test.arrow',
      'performance/trials.arrow',
      'metadata/config.yaml',
    ]) {
      const r = await cli('inspect', join(ws, f), '--json');
      expect(r.code, `${f}: ${r.err}`).toBe(0);
      if (!f.endsWith('.yaml')) expect(() => JSON.parse(r.out), f).not.toThrow();
    }
    const table = await cli('inspect', join(ws, 'performance/trials.arrow'));
    expect(table.out).toMatch(/8 rows/);
    // a trial's signals print as events (bar, position), not as the file's encoded columns
    const signalFile = join(ws, `signals/trial_${trials[0]!.trial_id}.arrow`);
    const events = JSON.parse((await cli('inspect', signalFile, '--json')).out);
    expect(events.fields.map((f: { name: string }) => f.name)).toEqual(['bar', 'position']);
    expect(events.meta.trial_id).toBe(trials[0]!.trial_id);
    // a signal file of a layout this version does not know is refused in one line
    const t = readArrowTable(signalFile);
    const future = new Map(t.schema.metadata);
    future.set('layout', 'zigzag');
    writeArrowTable(join(dir, 'future.arrow'), tableOf(t.schema.fields.map((f) => [f.name, t.getChild(f.name)!.data[0]!]), future));
    const refused = await cli('inspect', join(dir, 'future.arrow'));
    expect(refused.code).toBe(2);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    expect(refused.err).toMatch(/future\.arrow: metadata\.layout = "zigzag": unknown signal file layout/);

    // a hand edit that breaks a file between phases is one clear line naming file and field
    const weights = join(ws, 'analysis/ensemble_weights.json');
    writeFileSync(weights, JSON.stringify({ hmm: { bull: { strategy_1: 'heavy' } } }));
    const broken = await cli('run', config, '--out', ws, '--workers', '0', '--only-phase', 'validation');
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/ensemble_weights\.json.*hmm\.bull\.strategy_1/);
  });
});
