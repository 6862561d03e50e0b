import {
  ClassifierModelFileSchema,
  NO_REGIME,
  regimenError,
  parsePluginOptions,
  readJsonFile,
  writeJsonAtomic,
  type BarColumns,
  type ClassifierPlugin,
  type RegimeTrack,
} from '@regimen/core';
import { readRegimeLabels, writeRegimeLabels } from '@regimen/data';
import { timed, timedAsync, type RunContext } from './context.js';
import { callPlugin } from './plugins.js';
import { fitClassifier, labelWithModel, runPool } from './classifier-run.js';

/** The plugin and parsed options of a configured classifier. */
export function classifierOf(ctx: RunContext, name: string): { plugin: ClassifierPlugin; options: unknown } {
  const c = ctx.config.classifiers.find((x) => x.name === name)!;
  const plugin = ctx.registry.classifier(c.plugin);
  return { plugin, options: parsePluginOptions(plugin, c.options, `workflow.classifiers.${name}.options`) };
}

/**
 * Fit every classifier on the training window only, save the model, label the whole series
 * causally (a fold's series ends with its test window) and write the per-split label files.
 * Returns full-length tracks.
 */
export async function fitClassifiers(ctx: RunContext): Promise<RegimeTrack[]> {
  const tracks: RegimeTrack[] = [];
  for (const c of ctx.config.classifiers) {
    const { plugin, options } = classifierOf(ctx, c.name);
    const { trainStart, trainEnd, testStart } = ctx.split;
    const seed = ctx.rng.fork('classifier:' + c.name).int(0, 2 ** 31 - 1);
    const saved = await timedAsync(ctx, 'fit', () => fitClassifier(plugin, options, ctx.bars, { start: trainStart, end: trainEnd }, seed, runPool(ctx.executor)));
    const { track } = timed(ctx, 'label', () => labelWithModel(c.name, plugin, saved, options, ctx.bars));
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
