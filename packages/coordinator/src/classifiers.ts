import {
  ClassifierModelFileSchema,
  parsePluginOptions,
  readJsonFile,
  writeJsonAtomic,
  type BarColumns,
  type ClassifierPlugin,
  type RegimeTrack,
} from '@regimen/core';
import { readRegimeLabels, writeRegimeLabels } from '@regimen/data';
import type { RunContext } from './context.js';
import { callPlugin } from './plugins.js';
import { fitClassifier, labelWithModel, runPool } from './classifier-run.js';

/** The plugin and parsed options of a configured classifier. */
export function classifierOf(ctx: RunContext, name: string): { plugin: ClassifierPlugin; options: unknown } {
  const c = ctx.config.classifiers.find((x) => x.name === name)!;
  const plugin = ctx.registry.classifier(c.plugin);
  return { plugin, options: parsePluginOptions(plugin, c.options, `workflow.classifiers.${name}.options`) };
}

/**
 * Fit every classifier on the training split only, save the model, label the whole series
 * causally and write the per-split label files. Returns full-length tracks.
 */
export async function fitClassifiers(ctx: RunContext): Promise<RegimeTrack[]> {
  const tracks: RegimeTrack[] = [];
  for (const c of ctx.config.classifiers) {
    const { plugin, options } = classifierOf(ctx, c.name);
    const seed = ctx.rng.fork('classifier:' + c.name).int(0, 2 ** 31 - 1);
    const saved = await fitClassifier(plugin, options, ctx.bars, ctx.split.trainEnd, seed, runPool(ctx.executor));
    const { track } = labelWithModel(c.name, plugin, saved, options, ctx.bars);
    writeJsonAtomic(ctx.paths.classifierModel(c.name), {
      name: c.name,
      plugin: plugin.name,
      options: options as Record<string, unknown>,
      regimes: track.names,
      train_bars: ctx.split.trainEnd,
      summary: plugin.summary ? callPlugin(plugin.name, 'summary', () => plugin.summary!(saved, options)) : undefined,
      model: saved,
    });
    writeRegimeLabels(ctx.paths.regimeLabels(c.name, 'train'), { ...track, labels: track.labels.subarray(0, ctx.split.trainEnd) }, ctx.bars.time.subarray(0, ctx.split.trainEnd));
    writeRegimeLabels(ctx.paths.regimeLabels(c.name, 'test'), { ...track, labels: track.labels.subarray(ctx.split.testStart) }, ctx.bars.time.subarray(ctx.split.testStart));
    ctx.emit({ type: 'info', message: `classifier ${c.name} (${plugin.name}) fitted on ${ctx.split.trainEnd} bars: ${track.names.join(', ')}` });
    tracks.push(track);
  }
  return tracks;
}

export function readModel(ctx: RunContext, name: string) {
  return readJsonFile(ctx.paths.classifierModel(name), ClassifierModelFileSchema);
}

/** Training labels as written in phase 1 (validated), for phases that run on their own. */
export function readTrainTrack(ctx: RunContext, name: string): RegimeTrack {
  const t = readRegimeLabels(ctx.paths.regimeLabels(name, 'train'));
  return { ...t, classifier: name };
}

/** Live labels on the full series from the saved model (the way validation sees regimes). */
export function liveTrack(ctx: RunContext, name: string, bars: BarColumns = ctx.bars): RegimeTrack {
  const { plugin, options } = classifierOf(ctx, name);
  const m = readModel(ctx, name);
  return labelWithModel(name, plugin, m.model, options, bars).track;
}
