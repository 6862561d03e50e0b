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
import { sliceBars, type RunContext } from './context.js';
import { callPlugin } from './plugins.js';

/** The plugin and parsed options of a configured classifier. */
export function classifierOf(ctx: RunContext, name: string): { plugin: ClassifierPlugin; options: unknown } {
  const c = ctx.config.classifiers.find((x) => x.name === name)!;
  const plugin = ctx.registry.classifier(c.plugin);
  return { plugin, options: parsePluginOptions(plugin, c.options, `workflow.classifiers.${name}.options`) };
}

/** Label bars with a fitted model, checking the plugin keeps its promises (length, label range). */
export function labelBars(name: string, plugin: ClassifierPlugin, model: unknown, options: unknown, bars: BarColumns): RegimeTrack {
  const names = callPlugin(plugin.name, 'regimes', () => plugin.regimes(model, options));
  const labels = callPlugin(plugin.name, 'label', () => plugin.label(bars, model, options));
  if (!(labels instanceof Uint8Array) || labels.length !== bars.close.length) {
    throw callPlugin(plugin.name, 'label', () => {
      throw new Error(`returned ${labels?.length} labels for ${bars.close.length} bars (a Uint8Array of one label per bar is required)`);
    });
  }
  for (let t = 0; t < labels.length; t++) {
    const k = labels[t]!;
    if (k !== 255 && k >= names.length) {
      callPlugin(plugin.name, 'label', () => {
        throw new Error(`label ${k} at bar ${t} is not one of its ${names.length} regimes`);
      });
    }
  }
  return { classifier: name, names, labels };
}

/**
 * Fit every classifier on the training split only, save the model, label the whole series
 * causally and write the per-split label files. Returns full-length tracks.
 */
export function fitClassifiers(ctx: RunContext): RegimeTrack[] {
  const train = sliceBars(ctx.bars, ctx.split.trainEnd);
  return ctx.config.classifiers.map((c, i) => {
    const { plugin, options } = classifierOf(ctx, c.name);
    const model = callPlugin(plugin.name, 'fit', () => plugin.fit(train, options, { seed: ctx.rng.fork('classifier:' + c.name).int(0, 2 ** 31 - 1) }));
    // the model must survive JSON: what is saved is what validation will use
    const saved = JSON.parse(JSON.stringify(model)) as unknown;
    const track = labelBars(c.name, plugin, saved, options, ctx.bars);
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
    void i;
    return track;
  });
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
  return labelBars(name, plugin, m.model, options, bars);
}
