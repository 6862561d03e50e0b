import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonFile, TrialPerformanceSchema, TrialsFileSchema, workspacePaths } from '@regimen/core';
import type { RunContext } from './context.js';
import { runWorkflow } from './run.js';
import { smallWorkflow } from './test-fixtures.js';
import { trialPerformances } from './trial-performances.js';

describe('trial performance files, read once per run', () => {
  it('are read and validated by the first phase, then kept (frozen) for the later ones', async () => {
    const { dir, config } = smallWorkflow({ phases: '    - name: parameter_discovery\n      config: { parameter_space: { lookback: [10, 30], threshold: [0.005, 0.02] } }' });
    const ws = join(dir, 'ws');
    await runWorkflow(config, { outDir: ws, workers: 0 });
    const paths = workspacePaths(ws);
    const ctx = { paths } as RunContext;
    const { trials } = readJsonFile(paths.trials, TrialsFileSchema);
    const fromFiles = trials.map((t) => readJsonFile(paths.trialPerformance(t.trial_id), TrialPerformanceSchema));

    const first = trialPerformances(ctx);
    expect(first).toEqual(fromFiles);
    expect(first.length).toBe(8);
    // a new array each time, of the same objects: the files are not read again
    const file = paths.trialPerformance(trials[0]!.trial_id);
    renameSync(file, `${file}.away`);
    const second = trialPerformances(ctx);
    expect(second).not.toBe(first);
    expect(second.every((p, i) => p === first[i])).toBe(true);
    // frozen to the leaves: a phase that changed one would throw, not change a later phase
    expect(() => {
      (second[0]!.metrics as { sharpe: number }).sharpe = 1;
    }).toThrow(TypeError);
    // a context with other trials (a fold's) reads its own files
    ctx.trialPerformances = first.slice(1);
    expect(() => trialPerformances(ctx)).toThrow('ENOENT');
    renameSync(`${file}.away`, file);
    expect(trialPerformances(ctx)).toEqual(fromFiles);
  }, 60_000);
});
