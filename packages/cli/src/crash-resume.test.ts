import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspacePaths } from '@regimen/core';
import { runWorkflow, smallWorkflow } from '@regimen/coordinator';
import { bin, built, count, killWhen } from '../test/kill.js';

function analysisFiles(dir: string): Map<string, string> {
  const p = workspacePaths(dir);
  const out = new Map<string, string>();
  for (const f of readdirSync(p.analysis)) out.set(f, readFileSync(join(p.analysis, f), 'utf8'));
  out.set('validation_results.json', readFileSync(p.validationResults, 'utf8'));
  return out;
}

/** A phase 1 long enough to be interrupted: 2 strategies × 30 lookbacks × 10 thresholds. */
const PHASE1_600_TRIALS = `    - name: parameter_discovery
      config:
        parameter_space: { lookback: { min: 5, max: 150, step: 5 }, threshold: { min: 0.0, max: 0.045, step: 0.005 } }
`;

describe('crash and resume', () => {
  it.skipIf(!built)('SIGKILL in phase 1 and again in phase 3, then --resume: byte-identical results', async () => {
    const { dir, config } = smallWorkflow({
      bars: 6000,
      phases: `${PHASE1_600_TRIALS}    - name: regime_analysis
      config: { metrics: [sharpe, max_drawdown], min_bars: 10, pbo_blocks: 8 }  # 70 splits: the PBO of ~2,000 weight sets stays cheap; its bytes are still compared
    - name: ensemble_optimization
      config: { algorithm: genetic, objective: minimize_regime_drawdown, algorithm_options: { population: 16, generations: 40, patience: 40 } }
    - name: validation
      config: { data_split: test }`,
    });
    const ref = join(dir, 'reference');
    await runWorkflow(config, { outDir: ref, workers: 0 });

    const ws = join(dir, 'crashed');
    const p = workspacePaths(ws);
    await killWhen(config, ws, () => count(p.performance, /^trial_.*\.json$/) >= 40);
    expect(existsSync(p.checkpoint('parameter_discovery'))).toBe(false);
    const trialsBefore = count(p.performance, /^trial_.*\.json$/);
    expect(trialsBefore).toBeGreaterThanOrEqual(40);
    expect(existsSync(join(ws, '.lock'))).toBe(true); // left behind by the killed run

    await killWhen(config, ws, () => count(p.performance, /^ensemble_trial_.*\.json$/) >= 30);
    expect(existsSync(p.checkpoint('parameter_discovery'))).toBe(true);
    expect(existsSync(p.checkpoint('ensemble_optimization'))).toBe(false);

    const events: string[] = [];
    const resumed = await runWorkflow(config, { outDir: ws, workers: 0, resume: true, onEvent: (e) => e.type === 'info' && events.push(e.message) });
    expect(resumed.skipped).toEqual(['parameter_discovery', 'regime_analysis']);
    expect(events.some((m) => /stale lock/.test(m))).toBe(true);
    const a = analysisFiles(ref);
    const b = analysisFiles(ws);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [name, text] of a) expect(b.get(name), name).toBe(text);
    expect(existsSync(join(ws, '.lock'))).toBe(false);
  }, 120_000);

  it.skipIf(!built)('a walk-forward SIGKILLed in the middle of fold 3 resumes at that fold and phase: byte-identical results', async () => {
    const { dir, config } = smallWorkflow({
      bars: 3000,
      phases: `    - name: parameter_discovery
      config: { parameter_space: { lookback: [10, 30], threshold: [0.005, 0.02] } }
    - name: regime_analysis
      config: { metrics: [sharpe, max_drawdown], min_bars: 10, pbo_blocks: 8 }
    - name: ensemble_optimization
      config: { algorithm: genetic, objective: minimize_regime_drawdown, algorithm_options: { population: 16, generations: 40, patience: 40 } }
    - name: validation
      config: { data_split: test, method: walk_forward, folds: 5, in_sample: 800, gap: 2 }`,
    });
    const ref = join(dir, 'reference');
    await runWorkflow(config, { outDir: ref, workers: 0 });

    const ws = join(dir, 'crashed');
    const fold3 = workspacePaths(workspacePaths(ws).fold(3));
    await killWhen(config, ws, () => count(fold3.performance, /^ensemble_trial_.*\.json$/) >= 20);
    // folds 0–2 are done, fold 3 is in its ensemble phase, fold 4 has only phase 1
    for (const k of [0, 1, 2]) expect(existsSync(workspacePaths(workspacePaths(ws).fold(k)).checkpoint('validation'))).toBe(true);
    expect(existsSync(fold3.checkpoint('regime_analysis'))).toBe(true);
    expect(existsSync(fold3.checkpoint('ensemble_optimization'))).toBe(false);

    const skipped: string[] = [];
    await runWorkflow(config, { outDir: ws, workers: 0, resume: true, onEvent: (e) => e.type === 'phase-skip' && skipped.push(`${e.fold ?? '-'}:${e.phase}`) });
    expect(skipped).toEqual(['-:parameter_discovery', '0:regime_analysis', '0:ensemble_optimization', '0:validation', '1:regime_analysis', '1:ensemble_optimization', '1:validation', '2:regime_analysis', '2:ensemble_optimization', '2:validation', '3:regime_analysis']);
    for (const k of [0, 1, 2, 3, 4]) {
      const a = analysisFiles(workspacePaths(ref).fold(k));
      const b = analysisFiles(workspacePaths(ws).fold(k));
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [name, text] of a) expect(b.get(name), `fold ${k} ${name}`).toBe(text);
    }
    for (const f of ['performance/walk_forward_results.json', 'analysis/overfitting.json']) expect(readFileSync(join(ws, f), 'utf8'), f).toBe(readFileSync(join(ref, f), 'utf8'));
  }, 180_000);

  it.skipIf(!built)('Ctrl-C (SIGINT) stops between trials, exits 130, keeps what finished, and the run resumes', async () => {
    const { dir, config } = smallWorkflow({
      bars: 6000,
      phases: `${PHASE1_600_TRIALS}    - name: regime_analysis
      config: { pbo_blocks: 8 }  # the resumed run's PBO of 600 trials: 70 splits, not 12,870
    - name: ensemble_optimization
    - name: validation`,
    });
    const ws = join(dir, 'ws');
    const p = workspacePaths(ws);
    const { code, err } = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, 'run', config, '--out', ws, '--workers', '0', '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => (err += String(d)));
      const poll = setInterval(() => {
        if (count(p.performance, /^trial_.*\.json$/) >= 20) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 5);
      child.on('exit', (c) => {
        clearInterval(poll);
        resolve({ code: c, err });
      });
    });
    expect(code, err).toBe(130);
    expect(err).toMatch(/interrupted.*--resume/);
    expect(existsSync(p.checkpoint('parameter_discovery'))).toBe(false);
    expect(count(p.performance, /^trial_.*\.json$/)).toBeGreaterThanOrEqual(20);
    expect(existsSync(join(ws, '.lock'))).toBe(false); // released on the way out
    const resumed = await runWorkflow(config, { outDir: ws, workers: 0 });
    expect(resumed.ran).toEqual(['parameter_discovery', 'regime_analysis', 'ensemble_optimization', 'validation']);
    expect(resumed.summary.validation?.checks.look_ahead?.passed).toBe(true);
  }, 120_000);
});

