import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assertPlugin, parsePluginOptions, type ClassifierPlugin } from '@regimen/core';
import { runWorkflow, smallWorkflow } from '@regimen/coordinator';
import { checkCausality, checkDeterminism, checkLabelRange, checkRoundTrip, sliceBars, syntheticBars } from '@regimen/plugin-testkit';
import { cli } from '../test/harness.js';
import { childEnv, linkRegimen, repo } from '../test/plugin-package.js';

/** Independent of the plugin: sample sd of the last w log returns, recomputed naively per bar. */
function naiveMedianVol(close: number[], w: number): number {
  const vols: number[] = [];
  for (let t = w; t < close.length; t++) {
    const r = Array.from({ length: w }, (_, i) => Math.log(close[t - i]! / close[t - i - 1]!));
    const m = r.reduce((a, b) => a + b, 0) / w;
    vols.push(Math.sqrt(r.reduce((a, x) => a + (x - m) ** 2, 0) / (w - 1)));
  }
  vols.sort((a, b) => a - b);
  const h = vols.length / 2;
  return vols.length % 2 ? vols[Math.floor(h)]! : (vols[h - 1]! + vols[h]!) / 2;
}

describe('regimen plugin new classifier → a working third-party plugin', () => {
  afterEach(() => vi.restoreAllMocks());
  const tmp = mkdtempSync(join(tmpdir(), 'regimen-scaffold-'));
  const pkg = join(tmp, 'vol-regime');

  it('scaffolds a package that passes the conformance checks and runs in a workflow', async () => {
    const made = await cli('plugin', 'new', 'classifier', 'vol-regime', '--dir', pkg);
    expect(made.err).toBe('');
    expect(made.code).toBe(0);
    expect(readdirSync(join(pkg, 'src')).sort()).toEqual(['index.js', 'index.test.js']);
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('regimen-classifier-vol-regime');
    // Regimen's packages come packed from this checkout, and nothing names a registry version of them
    expect(manifest.dependencies['@regimen/core']).toBe('file:vendor/regimen-core-0.1.0.tgz');
    expect(manifest.devDependencies['@regimen/plugin-testkit']).toBe('file:vendor/regimen-plugin-testkit-0.1.0.tgz');
    expect(readdirSync(join(pkg, 'vendor')).sort()).toEqual(['regimen-core-0.1.0.tgz', 'regimen-data-0.1.0.tgz', 'regimen-kernel-0.1.0.tgz', 'regimen-plugin-testkit-0.1.0.tgz']);
    expect(Object.keys(manifest.overrides).sort()).toEqual(['@regimen/core', '@regimen/data', '@regimen/kernel', '@regimen/plugin-testkit']);
    linkRegimen(tmp, ['@regimen/core', '@regimen/plugin-testkit', 'vitest']);

    // the kit's plain checks, on the module as a workflow would import it
    const plugin = (await import(pathToFileURL(join(pkg, 'src/index.js')).href)).default as ClassifierPlugin;
    expect(assertPlugin(plugin, pkg).name).toBe('vol-regime');
    const data = syntheticBars(2000, 5);
    const options = parsePluginOptions(plugin, {});
    expect(() => parsePluginOptions(plugin, { windw: 3 })).toThrow(/vol-regime/);
    const model = await plugin.fit(sliceBars(data, 1400), options, { seed: 1 });
    const regimes = plugin.regimes(model, options);
    expect(regimes).toEqual(['high_vol', 'low_vol']);
    for (const r of [
      checkLabelRange(plugin.label(data, model, options), 2000, regimes),
      checkCausality(plugin, model, options, data, [1, 2, 20, 21, 500, 1999]),
      checkRoundTrip(plugin, model, options, data),
      await checkDeterminism(plugin, sliceBars(data, 1400), options, 1),
    ]) expect(r.message).toBeUndefined();

    // plain Node 20 loads it without a build or a loader (resolving @regimen/core's built output)
    const plain = spawnSync(process.execPath, ['--input-type=module', '-e',
      `const p = (await import(${JSON.stringify(pathToFileURL(join(pkg, 'src/index.js')).href)})).default; console.log(JSON.stringify([p.name, p.regimes()]))`,
    ], { encoding: 'utf8', env: childEnv() });
    expect(plain.stderr).toBe('');
    expect(JSON.parse(plain.stdout)).toEqual(['vol-regime', ['high_vol', 'low_vol']]);

    // its own test suite (the kit's classifierConformance) passes as generated
    const own = spawnSync(process.execPath, [join(repo, 'node_modules/vitest/vitest.mjs'), 'run', '--root', pkg], { cwd: pkg, encoding: 'utf8', env: childEnv() });
    expect(own.status, own.stdout + own.stderr).toBe(0);

    // a workflow that names it: every trial and the regime analysis carry its regimes
    const wf = smallWorkflow({ bars: 600, extra: `    vol: { plugin: vol-regime }\n  plugins: [${JSON.stringify(pkg)}]` });
    const ws = join(wf.dir, 'ws');
    await runWorkflow(wf.config, { outDir: ws, workers: 0 });
    const trials = readdirSync(join(ws, 'performance')).filter((f) => /^trial_.*\.json$/.test(f));
    expect(trials.length).toBe(8);
    for (const f of trials) {
      const perf = JSON.parse(readFileSync(join(ws, 'performance', f), 'utf8'));
      expect(Object.keys(perf.regimes.vol).sort(), f).toEqual(['high_vol', 'low_vol']);
    }
    const optimal = JSON.parse(readFileSync(join(ws, 'analysis/regime_optimal_params.json'), 'utf8'));
    expect(Object.keys(optimal.vol).sort()).toEqual(['high_vol', 'low_vol']);
    expect(Object.keys(optimal.vol.high_vol).sort()).toEqual(['strategy_1', 'strategy_2']);

    // the saved model is the median volatility of the training 70 % only, recomputed here by hand
    const closes = readFileSync(wf.data, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',').at(-1)));
    const saved = JSON.parse(readFileSync(join(ws, 'metadata/classifiers/vol.json'), 'utf8'));
    expect(saved.plugin).toBe('vol-regime');
    expect(saved.model.threshold).toBeCloseTo(naiveMedianVol(closes.slice(0, Math.floor(0.7 * closes.length)), 20), 14);
  });
});
