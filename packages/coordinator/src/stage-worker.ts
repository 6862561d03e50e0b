import { parsePluginOptions, regimenError, sliceBars, type BarColumns, type ClassifierPlugin, type RegimeTrack, type TaskModuleLink } from '@regimen/core';
import { failureData, loadEngine, type EngineName, type FailureData } from '@regimen/backtester';
import { computeValidation, type ValidationInput, type ValidationOutput, type ValidationWithoutProofs } from './phases/validation-core.js';
import { checkProofPart, type ProofData, type ProofPart, type ProofPartResult } from './phases/validation-proofs.js';
import { fitClassifier, labelWithModel } from './classifier-run.js';

/**
 * The coordinator's per-series stages as module tasks (Executor.runTask): this module's default
 * export runs on a pool thread or on a Redis worker (`@regimen/coordinator/stage-worker`), and a
 * task's result depends on the task alone, so where it ran never shows in the files. The
 * coordinator still reads and writes the workspace: tasks get data and give back values.
 *
 * `fit`: a classifier fitted on the training bars and the whole series labelled by the model
 * (exactly what fitClassifiers does on the coordinator's thread; the fit's own restarts then run
 * one after another on this thread, as the series or folds in flight fill the other threads).
 */
export interface FitTask {
  kind: 'fit';
  /**
   * the classifier plugin's module: a package specifier (Regimen's own) or a file URL (a
   * third-party plugin's entry); a Redis worker gets its own installation of it, same version
   */
  source: TaskModuleLink;
  plugin: string;
  /** the config's options (parsed here with the plugin's schema, as the coordinator parsed them) */
  options: unknown;
  /** the series the fit labels; the fit sees bars [train.start, train.end) only */
  bars: BarColumns;
  train: { start: number; end: number };
  seed: number;
  /** the classifier's name in the workflow (the track's) */
  name: string;
  where: string;
}

export interface FitResult {
  model: unknown;
  names: string[];
  labels: Uint8Array;
}

/**
 * `validate`: phase 4's computing (validation-core.ts) — live labels from the saved models, the
 * adaptive backtest, baselines, transitions and trades, both no-look-ahead proofs.
 */
export interface ValidateTask {
  kind: 'validate';
  engine: EngineName;
  input: ValidationInput;
  classifiers: TaskClassifier[];
  /** false: the proofs are left to `proof` tasks, in parts (the result has no `verified`, `lookAhead`) */
  proofs: boolean;
}

/** A classifier a task labels with: its module, its options as configured, its saved model. */
export interface TaskClassifier {
  name: string;
  source: TaskModuleLink;
  plugin: string;
  options: unknown;
  model: unknown;
  where: string;
}

/**
 * `proof`: a part of phase 4's proofs (validation-proofs.ts) — some look-ahead cuts, relabelled
 * with the driving classifier's saved model, or some switching points.
 */
export interface ProofTask {
  kind: 'proof';
  engine: EngineName;
  data: ProofData;
  part: ProofPart;
  classifier: TaskClassifier;
}

export type StageTask = FitTask | ValidateTask | ProofTask;
export type StageResult = { ok: FitResult | ValidationOutput | ValidationWithoutProofs | ProofPartResult } | { failed: FailureData };

const plugins = new Map<string, Promise<ClassifierPlugin>>();

/** A classifier plugin of a module, imported once per thread. */
function classifierFrom(link: TaskModuleLink, name: string): Promise<ClassifierPlugin> {
  const source = link.regimenModule;
  let p = plugins.get(`${source}\0${name}`);
  if (!p) {
    p = (async () => {
      const mod = (await import(source)) as { default?: unknown };
      const exported = Array.isArray(mod.default) ? mod.default : [mod.default];
      const found = exported.find((x): x is ClassifierPlugin => (x as ClassifierPlugin | undefined)?.kind === 'classifier' && ((x as ClassifierPlugin).name === name || ((x as ClassifierPlugin).aliases ?? []).includes(name)));
      if (!found) throw regimenError({ code: 'plugin', value: source, message: `module ${source} has no classifier plugin "${name}"` });
      return found;
    })();
    plugins.set(`${source}\0${name}`, p);
  }
  return p;
}

export async function runStage(task: StageTask): Promise<FitResult | ValidationOutput | ValidationWithoutProofs | ProofPartResult> {
  if (task.kind === 'validate') return validate(task);
  if (task.kind === 'proof') return proof(task);
  if (task.kind !== 'fit') throw regimenError({ code: 'internal', field: 'kind', value: (task as { kind: unknown }).kind, message: 'not a stage task' });
  const plugin = await classifierFrom(task.source, task.plugin);
  const options = parsePluginOptions(plugin, task.options, task.where);
  const model = await fitClassifier(plugin, options, task.bars, task.train, task.seed);
  const { track } = labelWithModel(task.name, plugin, model, options, task.bars);
  return { model, names: track.names, labels: track.labels };
}

/** The live labels of a task's classifier on the bars it is given, from its saved model. */
async function labeller(c: TaskClassifier): Promise<(bars: BarColumns) => RegimeTrack> {
  const plugin = await classifierFrom(c.source, c.plugin);
  const options = parsePluginOptions(plugin, c.options, c.where);
  return (bars) => labelWithModel(c.name, plugin, c.model, options, bars).track;
}

async function validate(task: ValidateTask): Promise<ValidationOutput | ValidationWithoutProofs> {
  const labellers = new Map(await Promise.all(task.classifiers.map(async (c) => [c.name, await labeller(c)] as const)));
  const label = (name: string, bars: BarColumns) => labellers.get(name)!(bars);
  const engine = await loadEngine(task.engine);
  return task.proofs ? computeValidation(task.input, engine, label) : computeValidation(task.input, engine, label, false);
}

async function proof(task: ProofTask): Promise<ProofPartResult> {
  const label = await labeller(task.classifier);
  const { bars } = task.data;
  return checkProofPart(task.data, task.part, await loadEngine(task.engine), (n) => label(sliceBars(bars, n)));
}

/** The task function: failures come back as values, so their code, field and value survive the trip. */
export default async function stageWorker(task: StageTask): Promise<StageResult> {
  try {
    return { ok: await runStage(task) };
  } catch (e) {
    return { failed: failureData(e) };
  }
}
