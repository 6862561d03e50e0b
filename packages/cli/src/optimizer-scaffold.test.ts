import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assertPlugin, candidateKey, type OptimizerPlugin } from '@regimen/core';
import { runWorkflow, smallWorkflow } from '@regimen/coordinator';
import { checkOptimizerAsks, checkOptimizerExhaustion, OPTIMIZER_SPACES } from '@regimen/plugin-testkit';
import { cli } from '../test/harness.js';
import { childEnv, linkRegimen, repo } from '../test/plugin-package.js';

describe('regimen plugin new optimizer → a working ask/tell plugin', () => {
  afterEach(() => vi.restoreAllMocks());
  const tmp = mkdtempSync(join(tmpdir(), 'regimen-optimizer-scaffold-'));

  it('scaffolds a random search that passes the optimizer kit, its own tests, and drives a workflow', async () => {
    const pkg = join(tmp, 'my-search');
    const made = await cli('plugin', 'new', 'optimizer', 'my-search', '--dir', pkg);
    expect(made.err).toBe('');
    expect(made.code).toBe(0);
    expect(made.out).toMatch(/created regimen-optimizer-my-search \(optimizer "my-search"\)/);
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'regimen-optimizer-my-search', keywords: ['regimen', 'regimen-plugin', 'regimen-optimizer'] });
    expect(manifest.dependencies['@regimen/core']).toBe('file:vendor/regimen-core-0.1.0.tgz');
    for (const spec of Object.values(manifest.overrides) as string[]) expect(existsSync(join(pkg, spec.slice('file:'.length))), spec).toBe(true);
    expect(readFileSync(join(pkg, 'README.md'), 'utf8')).toMatch(/"@regimen\/core": "\^0\.1\.0"/);
    linkRegimen(tmp, ['@regimen/core', '@regimen/plugin-testkit', 'vitest']);

    const plugin = (await import(pathToFileURL(join(pkg, 'src/index.js')).href)).default as OptimizerPlugin;
    expect(assertPlugin(plugin, pkg)).toMatchObject({ kind: 'optimizer', name: 'my-search' });
    // a finite space: every admissible point once, then done; trials caps it
    expect(checkOptimizerExhaustion(plugin, OPTIMIZER_SPACES.discrete.space, { trials: 1000 })).toEqual({ ok: true, asked: 38, admissible: 38 });
    expect(checkOptimizerAsks(plugin, OPTIMIZER_SPACES.discrete.space(), { trials: 9 })).toEqual({ ok: true, asked: 9 });
    expect(checkOptimizerAsks(plugin, OPTIMIZER_SPACES.continuous.space(), { trials: 50 })).toEqual({ ok: true, asked: 50 });

    // its own suite (the optimizer kit + its hand-checked tests) passes as generated
    const own = spawnSync(process.execPath, [join(repo, 'node_modules/vitest/vitest.mjs'), 'run', '--root', pkg], { cwd: pkg, encoding: 'utf8', env: childEnv() });
    expect(own.status, own.stdout + own.stderr).toBe(0);
    // two kit suites (15 checks each) and three of its own
    expect(own.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+33 passed/);

    // a workflow that names it: each strategy gets exactly `trials` trials, all inside the space
    const wf = smallWorkflow({
      bars: 600,
      extra: `  plugins: [${JSON.stringify(pkg)}]`,
      phases: `    - name: parameter_discovery
      config:
        algorithm: my-search
        algorithm_options: { trials: 3 }
        parameter_space: { lookback: [10, 20, 30], threshold: [0.005, 0.01, 0.02] }
    - name: regime_analysis
      config: { metrics: [sharpe], min_bars: 10 }`,
    });
    const ws = join(wf.dir, 'ws');
    await runWorkflow(wf.config, { outDir: ws, workers: 0 });
    const trials = readdirSync(join(ws, 'performance')).filter((f) => /^trial_.*\.json$/.test(f));
    expect(trials).toHaveLength(6);
    const asked = new Set<string>();
    for (const f of trials) {
      const { params } = JSON.parse(readFileSync(join(ws, 'performance', f), 'utf8'));
      expect([10, 20, 30]).toContain(params.lookback);
      expect([0.005, 0.01, 0.02]).toContain(params.threshold);
      asked.add(candidateKey({ lookback: params.lookback, threshold: params.threshold }));
    }
    expect(asked.size).toBeGreaterThan(1);
  });

  it('leaves nothing behind when Regimen cannot be packed (no npm on PATH)', async () => {
    const pkg = join(tmp, 'no-npm');
    vi.stubEnv('PATH', mkdtempSync(join(tmpdir(), 'regimen-empty-path-')));
    const r = await cli('plugin', 'new', 'optimizer', 'no-npm', '--dir', pkg);
    vi.unstubAllEnvs();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/could not pack Regimen's packages into .*vendor: .*ENOENT/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(existsSync(pkg)).toBe(false);
  });
});
