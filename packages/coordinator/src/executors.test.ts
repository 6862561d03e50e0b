import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { regimenError, workspacePaths, type WorkflowConfig } from '@regimen/core';
import { localExecutor } from '@regimen/backtester';
import { chooseExecutor, type DistributedExecutors, type ExecutorRequest } from './executors.js';
import { runWorkflow } from './run.js';
import { dowUniverseWorkflow, smallWorkflow } from './test-fixtures.js';

const raw = (executor?: string) => ({ workflow: { phases: [{ name: 'parameter_discovery' }], ...(executor ? { executor } : {}) } }) as WorkflowConfig;

/** A stand-in distributed executor: the local one, recording what the coordinator asked of it. */
function recording(): { executors: DistributedExecutors; requests: ExecutorRequest[]; checked: string[] } {
  const requests: ExecutorRequest[] = [];
  const checked: string[] = [];
  return {
    requests,
    checked,
    executors: {
      check: (url, field) => {
        checked.push(`${field}=${url}`);
        if (url.includes('bad')) throw regimenError({ code: 'usage', field, value: url, message: 'bad URL' });
      },
      create: async (r) => {
        requests.push(r);
        const inline = localExecutor({ workers: 0, engine: r.engine });
        return { ...inline, close: async () => Promise.all([inline.close(), r.local.close()]).then(() => {}) };
      },
    },
  };
}

describe('choosing the executor', () => {
  it('takes --executor over the workflow, and local by default', () => {
    const { executors, checked } = recording();
    expect(chooseExecutor(undefined, raw(), 'wf.yaml', executors)).toEqual({ url: 'local', field: 'workflow.executor' });
    expect(chooseExecutor(undefined, raw('redis://a:1'), 'wf.yaml', executors)).toEqual({ url: 'redis://a:1', field: 'workflow.executor' });
    expect(chooseExecutor('redis://b:2', raw('redis://a:1'), 'wf.yaml', executors)).toEqual({ url: 'redis://b:2', field: '--executor' });
    expect(chooseExecutor('local', raw('redis://a:1'), 'wf.yaml', executors)).toEqual({ url: 'local', field: '--executor' });
    expect(checked).toEqual(['workflow.executor=redis://a:1', '--executor=redis://b:2']);
  });

  it('names the workflow file when its executor is wrong, and says when nothing can make one', () => {
    const { executors } = recording();
    expect(() => chooseExecutor(undefined, raw('redis://bad'), 'wf.yaml', executors)).toThrow(expect.objectContaining({ file: 'wf.yaml', field: 'workflow.executor', message: 'bad URL' }));
    expect(() => chooseExecutor('redis://bad', raw(), 'wf.yaml', executors)).toThrow(expect.objectContaining({ file: undefined, field: '--executor' }));
    expect(() => chooseExecutor('redis://a:1', raw(), 'wf.yaml', undefined)).toThrow(/no distributed executor/);
  });

});

describe('a run on a distributed executor', () => {
  it('hands it the run\'s facts, writes the same files, and keeps it out of the config hash', async () => {
    const { dir, config } = smallWorkflow();
    const local = join(dir, 'local');
    await runWorkflow(config, { outDir: local, workers: 0 });
    const { executors, requests } = recording();
    const ws = join(dir, 'elsewhere');
    await runWorkflow(config, { outDir: ws, workers: 0, executor: 'redis://h:1', executors });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ url: 'redis://h:1', field: '--executor', workflowId: 'small', engine: 'wasm', workerPlugins: [], resumeHint: `regimen run ${ws} --resume` });
    for (const f of ['regime_optimal_params.json', 'ensemble_weights.json']) {
      expect(readFileSync(join(workspacePaths(ws).analysis, f), 'utf8')).toBe(readFileSync(join(workspacePaths(local).analysis, f), 'utf8'));
    }
    // the same workspace, now local and with an executor: entry in the workflow: nothing to redo
    writeFileSync(config, readFileSync(config, 'utf8').replace('  seed: 11', '  seed: 11\n  executor: local'));
    const again = await runWorkflow(config, { outDir: ws, workers: 0, resume: true });
    expect(again.ran).toEqual([]);
  });

  it('runs a universe\'s series on it, into the same files as the local pool', async () => {
    const { dir, config } = dowUniverseWorkflow(['AA', 'KO'], 399);
    const local = join(dir, 'local');
    await runWorkflow(config, { outDir: local, workers: 0 });
    const { executors, requests } = recording();
    const ws = join(dir, 'ws');
    await runWorkflow(config, { outDir: ws, workers: 0, executor: 'redis://h:1', executors });
    // one executor for the whole universe, its series' batches sharing its workers
    expect(requests).toHaveLength(1);
    for (const series of ['AA', 'KO']) {
      for (const f of ['regime_optimal_params.json', 'ensemble_weights.json', 'validation_trades.json']) {
        expect(readFileSync(join(workspacePaths(join(ws, 'series', series)).analysis, f), 'utf8')).toBe(readFileSync(join(workspacePaths(join(local, 'series', series)).analysis, f), 'utf8'));
      }
    }
    expect(readFileSync(workspacePaths(ws).universeResults, 'utf8')).toBe(readFileSync(workspacePaths(local).universeResults, 'utf8'));
  });
});
