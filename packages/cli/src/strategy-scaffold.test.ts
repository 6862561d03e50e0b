import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TrialPerformanceSchema, readJsonFile, type StrategyPlugin } from '@regimen/core';
import { runWorkflow, smallWorkflow } from '@regimen/coordinator';
import { checkStrategyCausality, checkStrategySchema, strategyParams, syntheticBars } from '@regimen/plugin-testkit';
import { cli } from '../test/harness.js';
import { childEnv, linkRegimen, repo } from '../test/plugin-package.js';

/** Independent of the plugin: the close against its w-bar mean (summed afresh each bar), and the DESIGN §5 PnL. */
function naiveTrendBand(close: number[], w: number, band: number, fee: number): { trades: number; total_return: number } {
  let prev = 0;
  let equity = 1;
  let trades = 0;
  for (let t = 0; t < close.length; t++) {
    let pos = 0;
    if (t >= w - 1) {
      const avg = close.slice(t - w + 1, t + 1).reduce((a, b) => a + b, 0) / w;
      pos = close[t]! > avg * (1 + band) ? 1 : close[t]! < avg * (1 - band) ? -1 : 0;
    }
    if (t > 0) {
      equity *= 1 + prev * (close[t]! / close[t - 1]! - 1) - fee * Math.abs(pos - prev);
      if (pos !== prev) trades++;
    }
    prev = pos;
  }
  return { trades, total_return: equity - 1 };
}

describe('regimen plugin new strategy → a working third-party strategy', () => {
  afterEach(() => vi.restoreAllMocks());
  const tmp = mkdtempSync(join(tmpdir(), 'regimen-strategy-scaffold-'));

  it('--wasm: builds its AssemblyScript, passes its own kit tests, runs in a workflow\'s pool and on the command line', async () => {
    const pkg = join(tmp, 'trend-band');
    const made = await cli('plugin', 'new', 'strategy', 'trend-band', '--wasm', '--dir', pkg);
    expect(made.code, made.err).toBe(0);
    expect(readdirSync(pkg).sort()).toEqual(['.gitignore', 'README.md', 'assembly', 'package.json', 'src', 'tsconfig.json', 'vendor']);
    linkRegimen(tmp, ['@regimen/core', '@regimen/plugin-testkit', 'vitest', 'assemblyscript']);

    // its build compiles assembly/index.ts with asc, as `npm test` (pretest) would
    const build = spawnSync('npm', ['run', 'build'], { cwd: pkg, encoding: 'utf8', env: childEnv() });
    expect(build.status, build.stdout + build.stderr).toBe(0);
    expect(existsSync(join(pkg, 'build/trend-band.wasm'))).toBe(true);
    // its own suite: the kit (WebAssembly = JavaScript included) and two hand-checked tests
    const own = spawnSync(process.execPath, [join(repo, 'node_modules/vitest/vitest.mjs'), 'run', '--root', pkg, '--reporter', 'verbose'], { cwd: pkg, encoding: 'utf8', env: childEnv() });
    expect(own.status, own.stdout + own.stderr).toBe(0);
    expect(own.stdout.match(/its WebAssembly equals its TypeScript positions/g)).toHaveLength(6);

    // a workflow names it by path; two workers import it and run its WebAssembly over the shared memory
    const wf = smallWorkflow({ bars: 600, strategies: `    trend: { plugin: ${JSON.stringify(pkg)}, side: long_short, parameter_space: { window: [10, 30], band: [0, 0.02] } }`, phases: '    - name: parameter_discovery' });
    const ws = join(wf.dir, 'ws');
    await runWorkflow(wf.config, { outDir: ws, workers: 2 });
    const perfs = readdirSync(join(ws, 'performance')).filter((f) => /^trial_.*\.json$/.test(f)).map((f) => readJsonFile(join(ws, 'performance', f), TrialPerformanceSchema));
    expect(perfs.map((p) => p.type)).toEqual(['trend-band', 'trend-band', 'trend-band', 'trend-band']);

    // on the command line, against an independent computation of its rule
    const r = await cli('backtest', '--load', pkg, '--strategy', 'trend-band', '--param', 'window=20', '--param', 'band=0.01', '--param', 'side=long_short', '--fee', '0.001', '--data', wf.data, '--json');
    expect(r.code, r.err).toBe(0);
    const closes = readFileSync(wf.data, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',').at(-1)));
    const want = naiveTrendBand(closes, 20, 0.01, 0.001);
    expect(JSON.parse(r.out).metrics.trades).toBe(want.trades);
    expect(JSON.parse(r.out).metrics.total_return).toBeCloseTo(want.total_return, 10);
  });

  it('without --wasm: JavaScript only, causal and well-formed as generated', async () => {
    const pkg = join(tmp, 'plain');
    expect((await cli('plugin', 'new', 'strategy', 'plain-band', '--dir', pkg)).code).toBe(0);
    expect(existsSync(join(pkg, 'assembly'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'regimen-strategy-plain-band', scripts: { test: 'vitest run' } });
    expect(manifest.scripts.build).toBeUndefined();
    const plugin = (await import(pathToFileURL(join(pkg, 'src/index.js')).href)).default as StrategyPlugin;
    expect(plugin.wasm).toBeUndefined();
    expect(checkStrategySchema(plugin).message).toBeUndefined();
    expect(checkStrategyCausality(plugin, strategyParams(plugin, { side: 'long_short' }), syntheticBars(1500, 3)).message).toBeUndefined();
  });

  it('--wasm is for strategies only', async () => {
    const r = await cli('plugin', 'new', 'classifier', 'x', '--wasm', '--dir', join(tmp, 'x'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--wasm: only a strategy plugin has a WebAssembly implementation/);
  });
});
