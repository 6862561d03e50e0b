import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtMissing, requireOrSkip } from '@regimen/plugin-testkit';
import { localExecutor } from '@regimen/backtester';
import { parsePluginOptions, taskModuleLink, workspacePaths, type RegimenError, type WorkspacePaths } from '@regimen/core';
import { loadMarketData } from '@regimen/data';
import { fitClassifier, labelWithModel } from './classifier-run.js';
import { builtinRegistry } from './plugins.js';
import { runWorkflow } from './run.js';
import { countingStageTasks, dowUniverseWorkflow, installLevelClassifier, smallWorkflow } from './test-fixtures.js';
import type { FitResult, FitTask, StageResult } from './stage-worker.js';

// tasks run the built module (dist/stage-worker.js) on the pool's threads
const built = !requireOrSkip('the built stage worker', builtMissing(new URL('../dist/stage-worker.js', import.meta.url), new URL('../../backtester/dist/worker.js', import.meta.url)));
const module = fileURLToPath(new URL('../dist/stage-worker.js', import.meta.url));

describe.skipIf(!built)('per-series stages as tasks on the executor', () => {
  const { bars } = loadMarketData(fileURLToPath(new URL('../../data/embedded/nyse_composite_daily_close.csv', import.meta.url)));
  const task = (plugin: string, source: string, options: unknown): FitTask => ({ kind: 'fit', source: taskModuleLink(source), plugin, options, bars, train: { start: 200, end: 3000 }, seed: 17, name: plugin, where: `workflow.classifiers.${plugin}.options` });

  it('fits and labels a classifier on a pool thread exactly as on the coordinator\'s thread', async () => {
    const registry = builtinRegistry();
    const pool = localExecutor({ workers: 2, engine: 'wasm' });
    try {
      for (const [name, source, raw] of [['hmm', '@regimen/classifier-hmm', { states: 3, restarts: 3 }], ['pattern', '@regimen/classifier-pattern', {}]] as const) {
        const plugin = registry.classifier(name);
        const options = plugin.options.parse(raw);
        const model = await fitClassifier(plugin, options, bars, { start: 200, end: 3000 }, 17);
        const { track } = labelWithModel(name, plugin, model, options, bars);
        const out = await pool.runTask!<StageResult>(module, task(name, source, raw));
        if ('failed' in out) throw new Error(out.failed.message);
        const ok = out.ok as FitResult;
        expect(JSON.stringify(ok.model)).toBe(JSON.stringify(model));
        expect(ok.names).toEqual(track.names);
        expect(Buffer.from(ok.labels).equals(Buffer.from(track.labels))).toBe(true);
      }
    } finally {
      await pool.close();
    }
  });

  it('brings a failure back with the code, field and message it has on the coordinator\'s thread', async () => {
    const pool = localExecutor({ workers: 1, engine: 'wasm' });
    try {
      const where = 'workflow.classifiers.hmm.options';
      const here = (() => {
        try {
          parsePluginOptions(builtinRegistry().classifier('hmm'), { states: 0 }, where);
        } catch (e) {
          return e as RegimenError;
        }
      })()!;
      const out = await pool.runTask!<StageResult>(module, task('hmm', '@regimen/classifier-hmm', { states: 0 }));
      expect(out).toEqual({ failed: { code: here.code, message: here.message, field: here.field, file: here.file, value: here.value } });
      expect(here.field).toBe(`${where}.states`);
    } finally {
      await pool.close();
    }
  });
});

describe.skipIf(!built)('a universe\'s stages on the executor', () => {
  it('fits, labels and validates each series as tasks, to the files of a workflow of that one column', async () => {
    const { dir, config } = dowUniverseWorkflow(['AA', 'KO'], 900);
    const kinds: string[] = [];
    const executors = countingStageTasks(kinds);
    await runWorkflow(config, { outDir: join(dir, 'u'), workers: 2, executor: 'count://', executors });
    // two classifiers × two series fitted, two series validated (short series: with their proofs)
    expect(kinds.sort()).toEqual(['fit', 'fit', 'fit', 'fit', 'validate', 'validate']);
    const alone = smallWorkflow({ data: '{ path: dow.csv, column: KO }' });
    writeFileSync(join(alone.dir, 'dow.csv'), readFileSync(join(dir, 'dow.csv')));
    await runWorkflow(alone.config, { outDir: join(alone.dir, 'ko'), workers: 2 });
    const [got, want] = [workspacePaths(join(dir, 'u', 'series', 'KO')), workspacePaths(join(alone.dir, 'ko'))];
    for (const file of [(p: WorkspacePaths) => p.validationResults, (p: WorkspacePaths) => p.validationTrades, (p: WorkspacePaths) => p.classifierModel('hmm'), (p: WorkspacePaths) => p.validationEquity]) {
      expect(readFileSync(file(got)).equals(readFileSync(file(want))), file(want)).toBe(true);
    }
  }, 120_000);
});

/** every file under a workspace but those that say when and where it ran */
function results(root: string, rel = '', out = new Map<string, Buffer>()): Map<string, Buffer> {
  for (const f of readdirSync(join(root, rel))) {
    if (['checkpoints', 'manifest.json', '.lock', 'config.yaml', 'config.resolved.json', 'workflow.json'].includes(f) || f.endsWith('.html')) continue;
    const p = join(rel, f);
    if (statSync(join(root, p)).isDirectory()) results(root, p, out);
    else out.set(p, readFileSync(join(root, p)));
  }
  return out;
}

describe.skipIf(!built)('a third-party classifier plugin\'s fit as a task', () => {
  it('fits on the pool\'s threads with 1 and 2 workers, on the main thread with 0, into the same files', async () => {
    const { dir, config } = dowUniverseWorkflow(['AA', 'KO'], 700, { extra: '' });
    writeFileSync(config, readFileSync(config, 'utf8').replace('    pattern_based: {}\n', `    pattern_based: {}\n${installLevelClassifier(dir)}\n`));
    const log = join(dir, 'fits.log');
    const before = process.env.REGIMEN_TEST_FIT_LOG;
    process.env.REGIMEN_TEST_FIT_LOG = log;
    const where: Record<number, string[]> = {};
    try {
      for (const workers of [0, 1, 2]) {
        writeFileSync(log, '');
        await runWorkflow(config, { outDir: join(dir, `w${workers}`), workers });
        where[workers] = readFileSync(log, 'utf8').trim().split('\n');
      }
    } finally {
      if (before === undefined) delete process.env.REGIMEN_TEST_FIT_LOG;
      else process.env.REGIMEN_TEST_FIT_LOG = before;
    }
    // one fit per series; thread 0 is this (the coordinator's) main thread
    for (const w of [0, 1, 2]) expect(where[w], `workers ${w}`).toHaveLength(2);
    expect(where[0]!.every((x) => x.endsWith(':0'))).toBe(true);
    for (const w of [1, 2]) expect(where[w]!.some((x) => x.endsWith(':0')), `workers ${w}: ${where[w]}`).toBe(false);
    const want = results(join(dir, 'w0'));
    expect([...want.keys()].filter((k) => k.endsWith('level.json'))).toHaveLength(2);
    for (const w of [1, 2]) {
      const got = results(join(dir, `w${w}`));
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [name, bytes] of want) expect(got.get(name)!.equals(bytes), `workers ${w}: ${name}`).toBe(true);
    }
  }, 180_000);
});
