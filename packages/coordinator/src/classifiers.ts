import {
  ClassifierModelFileSchema,
  NO_REGIME,
  regimenError,
  parsePluginOptions,
  readJsonFile,
  resolvePluginSource,
  taskModuleLink,
  writeJsonAtomic,
  type BarColumns,
  type ClassifierPlugin,
  type RegimeTrack,
  type TaskModuleLink,
} from '@regimen/core';
import { fileURLToPath } from 'node:url';
import { readRegimeLabels, writeRegimeLabels } from '@regimen/data';
import { timed, timedAsync, type RunContext } from './context.js';
import { callPlugin } from './plugins.js';
import { fitClassifier, labelWithModel, runPool } from './classifier-run.js';
import type { FitResult, FitTask, StageResult, StageTask } from './stage-worker.js';

/** The plugin and parsed options of a configured classifier. */
export function classifierOf(ctx: RunContext, name: string): { plugin: ClassifierPlugin; options: unknown } {
  const c = ctx.config.classifiers.find((x) => x.name === name)!;
  const plugin = ctx.registry.classifier(c.plugin);
  return { plugin, options: parsePluginOptions(plugin, c.options, `workflow.classifiers.${name}.options`) };
}

/**
 * Fit every classifier on the training window only, save the model, label the whole series
 * causally (a fold's series ends with its test window) and write the per-split label files.
 * Returns full-length tracks. `startFits` starts the fits (so a walk-forward's folds fit side by
 * side), `fitClassifiers` waits for them in order and writes what they made.
 */
export async function fitClassifiers(ctx: RunContext, fits: Array<Promise<Fitted>> = startFits(ctx)): Promise<RegimeTrack[]> {
  const tracks: RegimeTrack[] = [];
  const { trainStart, trainEnd, testStart } = ctx.split;
  for (const [i, c] of ctx.config.classifiers.entries()) {
    const { plugin, options } = classifierOf(ctx, c.name);
    const { saved, track } = await timedAsync(ctx, 'fit', () => fits[i]!);
    writeJsonAtomic(ctx.paths.classifierModel(c.name), {
      name: c.name,
      plugin: plugin.name,
      options: options as Record<string, unknown>,
      regimes: track.names,
      train_bars: trainEnd - trainStart,
      summary: plugin.summary ? callPlugin(plugin.name, 'summary', () => plugin.summary!(saved, options)) : undefined,
      model: saved,
    });
    writeRegimeLabels(ctx.paths.regimeLabels(c.name, 'train'), { ...track, labels: track.labels.subarray(trainStart, trainEnd) }, ctx.bars.time.subarray(trainStart, trainEnd));
    writeRegimeLabels(ctx.paths.regimeLabels(c.name, 'test'), { ...track, labels: track.labels.subarray(testStart) }, ctx.bars.time.subarray(testStart));
    ctx.emit({ type: 'info', message: `classifier ${c.name} (${plugin.name}) fitted on bars ${trainStart}–${trainEnd - 1}: ${track.names.join(', ')}` });
    tracks.push(track);
  }
  return tracks;
}

export interface Fitted {
  saved: unknown;
  track: RegimeTrack;
}

/**
 * Each classifier's fit and labels, started now. With ctx.stageTasks (a universe's series or a
 * walk-forward's folds in flight side by side) every classifier, Regimen's own or a plugin's, is
 * fitted and labelled as a task on the executor (stage-worker.ts): a pool thread, or a Redis
 * worker (a plugin that is a lone file, which no worker can install, runs on the local pool). Else
 * here, its own work (the HMM's restarts) spread over the executor's workers. Same model and
 * labels either way: the task runs the same functions on the same data.
 */
export function startFits(ctx: RunContext): Array<Promise<Fitted>> {
  return ctx.config.classifiers.map((c) => {
    const { plugin, options } = classifierOf(ctx, c.name);
    const { trainStart, trainEnd } = ctx.split;
    const seed = ctx.rng.fork('classifier:' + c.name).int(0, 2 ** 31 - 1);
    const source = ctx.stageTasks ? taskSource(ctx, plugin) : undefined;
    const fitted = source
      ? fitAsTask(ctx, { kind: 'fit', source, plugin: plugin.name, options: c.options, bars: ctx.bars, train: { start: trainStart, end: trainEnd }, seed, name: c.name, where: `workflow.classifiers.${c.name}.options` })
      : (async () => {
          const saved = await fitClassifier(plugin, options, ctx.bars, { start: trainStart, end: trainEnd }, seed, runPool(ctx.executor));
          return { saved, track: timed(ctx, 'label', () => labelWithModel(c.name, plugin, saved, options, ctx.bars)).track };
        })();
    fitted.catch(() => {}); // awaited in order by fitClassifiers; a failure must not be unhandled meanwhile
    return fitted;
  });
}

/**
 * The module a classifier plugin came from, for a task that imports it: Regimen's own by package
 * name, a third-party plugin by the URL of the entry the run loaded (resolved from the workflow's
 * folder, as loadPlugins resolved it). Undefined when the executor runs no tasks.
 */
export function taskSource(ctx: RunContext, plugin: ClassifierPlugin): TaskModuleLink | undefined {
  if (!ctx.executor.runTask || (ctx.executor.taskWorkers ?? ctx.executor.workers) < 1) return undefined;
  const source = ctx.registry.list().find((x) => x.plugin === plugin)?.source;
  if (source === undefined) return undefined;
  if (source.startsWith('@regimen/')) return taskModuleLink(source);
  return ctx.pluginsFrom === undefined ? undefined : taskModuleLink(resolvePluginSource({ spec: source, from: ctx.pluginsFrom }));
}

async function fitAsTask(ctx: RunContext, task: FitTask): Promise<Fitted> {
  const out = await runStageTask<FitResult>(ctx, task);
  return { saved: out.model, track: { classifier: task.name, names: out.names, labels: out.labels } };
}

/** A stage task on the executor; its failure thrown here with its code, field and value. */
export async function runStageTask<R>(ctx: RunContext, task: StageTask): Promise<R> {
  const out = await ctx.executor.runTask!<StageResult>(stageWorkerModule(), task);
  if ('failed' in out) throw regimenError(out.failed);
  return out.ok as R;
}

/** dist/stage-worker.js, also when this module runs from src/ under a test runner (workers run built code) */
function stageWorkerModule(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(/\/src\/[^/]+$/.test(here) ? '../dist/stage-worker.js' : './stage-worker.js', here));
}

export function readModel(ctx: RunContext, name: string) {
  return readJsonFile(ctx.paths.classifierModel(name), ClassifierModelFileSchema);
}

/**
 * Training labels as written in phase 1 (validated), for phases that run on their own, at their
 * bars' positions in the series (bars before a fold's training window are NO_REGIME).
 */
export function readTrainTrack(ctx: RunContext, name: string): RegimeTrack {
  const file = ctx.paths.regimeLabels(name, 'train');
  const t = readRegimeLabels(file);
  const { trainStart, trainEnd } = ctx.split;
  if (t.labels.length !== trainEnd - trainStart) {
    throw regimenError({ code: 'workspace', file, field: 'label', value: t.labels.length, message: `has ${t.labels.length} labels; the training window has ${trainEnd - trainStart} bars` });
  }
  if (trainStart === 0) return { ...t, classifier: name };
  const labels = new Uint8Array(trainEnd).fill(NO_REGIME);
  labels.set(t.labels, trainStart);
  return { ...t, classifier: name, labels };
}

/** Live labels on the full series from the saved model (the way validation sees regimes). */
export function liveTrack(ctx: RunContext, name: string, bars: BarColumns = ctx.bars): RegimeTrack {
  const { plugin, options } = classifierOf(ctx, name);
  const m = readModel(ctx, name);
  return labelWithModel(name, plugin, m.model, options, bars).track;
}
