import { dirname, isAbsolute, parse, resolve } from 'node:path';
import { canonicalJson, PHASES, regimenError, SeriesNameSchema, sha256, type PhaseName, type ResolvedConfig, type WorkflowConfig } from '@regimen/core';
import { EMBEDDED_DEFAULT, checkZone, embeddedDataPath } from '@regimen/data';
import { checkPhasePlan } from './phase-plan.js';

/**
 * Every default of a workflow in one place (the README's config reference lists the same).
 * The seed's YAML names only phases; what it leaves out is filled in here.
 */
export const DEFAULTS = {
  seed: 42,
  column: 'close',
  train_fraction: 0.7,
  fee: 0.0005,
  slippage: 0,
  strategies: {
    strategy_1: { type: 'momentum' },
    strategy_2: { type: 'mean_reversion' },
  } as Record<string, { type: string }>,
  classifiers: ['hmm', 'pattern'],
  side: 'long_only' as const,
  phase1: { algorithm: 'grid', capture_signals: true, signal_format: 'arrow' as const, objective: 'sharpe', batch_size: 64, on_error: 'fail' as const },
  analysis: { metrics: ['sharpe'], min_bars: 20, min_trades: 0, runners_up: 3, pbo_blocks: 16 },
  ensemble: { algorithm: 'grid', objective: 'sharpe', weight_values: [0, 0.5, 1], sum_to_one: true, min_weight: 0, min_bars: 20 },
  validation: { data_split: 'test' as const, verify_transitions: true, method: 'single' as const, folds: 6, scheme: 'rolling' as const, gap: 0 },
};

export interface ResolveOptions {
  configPath: string;
  /** folder that relative paths in the config resolve from (default: the config file's) */
  baseDir?: string;
  /** --out */
  outDir?: string;
}

function phaseConfig<N extends PhaseName>(config: WorkflowConfig, name: N) {
  const p = config.workflow.phases.find((x) => x.name === name);
  return (p?.config ?? {}) as Extract<WorkflowConfig['workflow']['phases'][number], { name: N }>['config'] & object;
}

/** The workflow id: given, or the last folder of output_dir, or a hash of the config. */
function workflowId(config: WorkflowConfig, outDir: string | undefined): string {
  if (config.workflow.id) return config.workflow.id;
  const dir = outDir ?? config.workflow.output_dir;
  if (dir) {
    const last = resolve(dir).split(/[\\/]/).filter(Boolean).pop();
    if (last) return last;
  }
  return 'workflow_' + sha256(canonicalJson(config)).slice(0, 8);
}

export function resolveConfig(config: WorkflowConfig, opts: ResolveOptions): ResolvedConfig {
  const w = config.workflow;
  const base = opts.baseDir ?? dirname(resolve(opts.configPath));
  const rel = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  // a plugin is a path when it starts with . or /, else an npm package name
  const pluginSpec = (p: string) => (p.startsWith('.') || isAbsolute(p) ? rel(p) : p);
  const id = workflowId(config, opts.outDir);
  const outputDir = opts.outDir ? resolve(opts.outDir) : w.output_dir ? resolve(w.output_dir) : resolve('results', id);

  const order = w.phases.map((p) => p.name);
  const seen = new Set<string>();
  order.forEach((name, i) => {
    if (seen.has(name)) throw regimenError({ code: 'config', file: opts.configPath, field: `workflow.phases[${i}].name`, value: name, message: 'phase listed twice' });
    seen.add(name);
  });
  const sorted = [...order].sort((a, b) => PHASES.indexOf(a) - PHASES.indexOf(b));
  if (sorted.join() !== order.join()) {
    throw regimenError({ code: 'config', file: opts.configPath, field: 'workflow.phases', value: order, message: `phases must run in the order ${PHASES.join(' → ')}` });
  }
  checkPhasePlan(order, opts.configPath);

  const p1 = phaseConfig(config, 'parameter_discovery');
  const pa = phaseConfig(config, 'regime_analysis');
  const pe = phaseConfig(config, 'ensemble_optimization');
  const pv = phaseConfig(config, 'validation');

  const strategiesIn = w.strategies ?? DEFAULTS.strategies;
  const strategies = Object.entries(strategiesIn).map(([name, s]) => {
    const sc = s as NonNullable<WorkflowConfig['workflow']['strategies']>[string];
    const space = sc.parameter_space ?? p1.parameter_space;
    if (!space) {
      throw regimenError({ code: 'config', file: opts.configPath, field: `workflow.strategies.${name}.parameter_space`, message: 'no parameter space: give the strategy one or set the parameter_discovery phase\'s parameter_space' });
    }
    // side searched in the space and fixed on the strategy would contradict each other
    if ('side' in space && (sc.side !== undefined || sc.params?.side !== undefined)) {
      throw regimenError({ code: 'config', file: opts.configPath, field: `workflow.strategies.${name}.side`, value: sc.side ?? sc.params?.side, message: 'side is also in the parameter space (searched there): give it in one place' });
    }
    // a plugin strategy's type is its plugin's name, known once the package is loaded (bindStrategies)
    const plugin = sc.plugin === undefined ? {} : { plugin: pluginSpec(sc.plugin) };
    return { name, type: sc.type ?? '', ...plugin, side: sc.side ?? DEFAULTS.side, params: sc.params ?? {}, parameter_space: space, constraints: sc.constraints ?? [] };
  });

  const classifierNames = w.classifiers ? Object.keys(w.classifiers) : (p1.regime_classifiers ?? DEFAULTS.classifiers);
  if (w.classifiers && p1.regime_classifiers) {
    for (const [i, c] of p1.regime_classifiers.entries()) {
      if (!(c in w.classifiers)) throw regimenError({ code: 'config', file: opts.configPath, field: `workflow.phases.parameter_discovery.config.regime_classifiers[${i}]`, value: c, message: 'not a key of workflow.classifiers' });
    }
  }
  const selected = w.classifiers && p1.regime_classifiers ? p1.regime_classifiers : classifierNames;
  const classifiers = selected.map((name) => ({
    name,
    plugin: w.classifiers?.[name]?.plugin ?? name,
    options: w.classifiers?.[name]?.options ?? {},
  }));
  if (classifiers.length === 0) throw regimenError({ code: 'config', file: opts.configPath, field: 'workflow.classifiers', message: 'at least one regime classifier is needed' });

  const analysisMetrics = pa.metrics ?? DEFAULTS.analysis.metrics;
  const validationClassifier = pv.classifier ?? classifiers[0]!.name;
  if (!classifiers.some((c) => c.name === validationClassifier)) {
    throw regimenError({ code: 'config', file: opts.configPath, field: 'workflow.phases.validation.config.classifier', value: validationClassifier, message: `not a configured classifier (${classifiers.map((c) => c.name).join(', ')})` });
  }

  const method = pv.method ?? DEFAULTS.validation.method;
  const walkForwardKeys = (['folds', 'scheme', 'in_sample', 'out_of_sample', 'gap'] as const).filter((k) => pv[k] !== undefined);
  if (method === 'single' && walkForwardKeys.length) {
    throw regimenError({ code: 'config', file: opts.configPath, field: `workflow.phases.validation.config.${walkForwardKeys[0]}`, value: pv[walkForwardKeys[0]!], message: 'a walk-forward setting: add method: walk_forward' });
  }
  if (method === 'walk_forward' && pv.data_split !== undefined && pv.data_split !== 'test') {
    throw regimenError({ code: 'config', file: opts.configPath, field: 'workflow.phases.validation.config.data_split', value: pv.data_split, message: 'a walk-forward validates every fold on its out-of-sample window: data_split must be test' });
  }

  if (w.data?.split?.test_start !== undefined && w.data.split.train_fraction !== undefined) {
    throw regimenError({ code: 'config', file: opts.configPath, field: 'workflow.data.split', value: w.data.split, message: 'give train_fraction or test_start, not both' });
  }

  const d = w.data ?? {};
  if (d.duplicates === 'all' && !d.resample) {
    throw regimenError({ code: 'config', file: opts.configPath, field: 'workflow.data.duplicates', value: 'all', message: 'keeping every row of a time needs resample (bars must have distinct times): add resample, or use first | last' });
  }
  if (d.price !== undefined && d.column !== undefined) {
    throw regimenError({ code: 'config', file: opts.configPath, field: 'workflow.data.price', value: d.price, message: 'give price or column, not both' });
  }
  const price = d.price ?? d.column ?? DEFAULTS.column;
  if (d.timezone !== undefined) checkZone(d.timezone, 'workflow.data.timezone', opts.configPath);
  const universe = universeOf(d, price, rel, opts.configPath);

  return {
    workflow_id: id,
    seed: w.seed ?? DEFAULTS.seed,
    output_dir: outputDir,
    data: {
      path: w.data?.path ? rel(w.data.path) : universe?.series[0]?.path ?? embeddedDataPath(),
      embedded: !w.data?.path && !universe,
      column: typeof price === 'string' ? price : `mid(${price.mid.join(',')})`,
      split: w.data?.split?.test_start ? { test_start: w.data.split.test_start } : { train_fraction: w.data?.split?.train_fraction ?? DEFAULTS.train_fraction },
      bars_per_year: w.data?.bars_per_year ?? null,
      // null: the default rule (the first column, named as a time key); the run fills in the column found
      time_column: d.time_column ?? null,
      time_format: d.time_format ?? 'iso',
      timezone: d.timezone ?? null,
      duplicates: d.duplicates ?? (d.resample ? 'all' : 'error'),
      price: typeof price === 'string' ? { column: price } : { mid: price.mid },
      resample: d.resample ?? null,
      ...(universe ? { universe } : {}),
    },
    costs: { fee: w.costs?.fee ?? DEFAULTS.fee, slippage: w.costs?.slippage ?? DEFAULTS.slippage },
    strategies,
    classifiers,
    plugins: (w.plugins ?? []).map(pluginSpec),
    phases: order,
    parameter_discovery: {
      algorithm: p1.algorithm ?? DEFAULTS.phase1.algorithm,
      algorithm_options: p1.algorithm_options ?? {},
      capture_signals: p1.capture_signals ?? DEFAULTS.phase1.capture_signals,
      signal_format: p1.signal_format ?? DEFAULTS.phase1.signal_format,
      objective: p1.objective ?? DEFAULTS.phase1.objective,
      batch_size: p1.batch_size ?? DEFAULTS.phase1.batch_size,
      on_error: p1.on_error ?? DEFAULTS.phase1.on_error,
      ...budgetOf(p1),
    },
    regime_analysis: {
      metrics: analysisMetrics,
      objective: pa.objective ?? pa.objectives?.[0] ?? analysisMetrics[0]!,
      min_bars: pa.min_bars ?? DEFAULTS.analysis.min_bars,
      min_trades: pa.min_trades ?? DEFAULTS.analysis.min_trades,
      runners_up: pa.runners_up ?? DEFAULTS.analysis.runners_up,
      pbo_blocks: pa.pbo_blocks ?? DEFAULTS.analysis.pbo_blocks,
      ...paretoConfig(pa, opts.configPath),
    },
    ensemble_optimization: {
      algorithm: pe.algorithm ?? DEFAULTS.ensemble.algorithm,
      algorithm_options: pe.algorithm_options ?? {},
      objective: pe.objective ?? DEFAULTS.ensemble.objective,
      weight_space: pe.weight_space ?? Object.fromEntries(strategies.map((s) => [s.name, DEFAULTS.ensemble.weight_values])),
      sum_to_one: pe.weight_constraints?.sum_to_one ?? DEFAULTS.ensemble.sum_to_one,
      min_weight: pe.weight_constraints?.min_weight ?? DEFAULTS.ensemble.min_weight,
      min_bars: pe.min_bars ?? DEFAULTS.ensemble.min_bars,
      ...budgetOf(pe),
    },
    validation: {
      data_split: pv.data_split ?? DEFAULTS.validation.data_split,
      verify_transitions: pv.verify_transitions ?? DEFAULTS.validation.verify_transitions,
      classifier: validationClassifier,
      method,
      walk_forward: method === 'walk_forward'
        ? {
            folds: pv.folds ?? DEFAULTS.validation.folds,
            scheme: pv.scheme ?? DEFAULTS.validation.scheme,
            in_sample: pv.in_sample ?? null,
            out_of_sample: pv.out_of_sample ?? null,
            gap: pv.gap ?? DEFAULTS.validation.gap,
          }
        : null,
    },
  };
}

/** A search budget's keys as given, only when one is set (so configs without one keep their hash). */
function budgetOf(p: { max_trials?: number; timeout?: number | string; patience?: number }): { budget?: { max_trials?: number; timeout?: number | string; patience?: number } } {
  const budget = Object.fromEntries((['max_trials', 'timeout', 'patience'] as const).filter((k) => p[k] !== undefined).map((k) => [k, p[k]]));
  return Object.keys(budget).length ? { budget } : {};
}

/**
 * `objectives: [...]` turns on the Pareto front (its first objective then ranks, as `objective`
 * would); `select` and `weights` only mean something with it.
 */
function paretoConfig(pa: ReturnType<typeof phaseConfig<'regime_analysis'>>, file: string): { pareto?: ResolvedConfig['regime_analysis']['pareto'] } {
  const at = (k: string) => `workflow.phases.regime_analysis.config.${k}`;
  if (!pa.objectives) {
    if (pa.select !== undefined) throw regimenError({ code: 'config', file, field: at('select'), value: pa.select, message: 'select picks a winner from a Pareto front: give objectives too' });
    if (pa.weights !== undefined) throw regimenError({ code: 'config', file, field: at('weights'), value: pa.weights, message: 'weights need objectives and select: weighted' });
    return {};
  }
  if (pa.objective !== undefined) throw regimenError({ code: 'config', file, field: at('objective'), value: pa.objective, message: 'give objective (one) or objectives (a Pareto front), not both' });
  const select = pa.select ?? 'first_objective';
  if (select === 'weighted' && pa.weights?.length !== pa.objectives.length) {
    throw regimenError({ code: 'config', file, field: at('weights'), value: pa.weights, message: `select: weighted needs one weight per objective (${pa.objectives.length})` });
  }
  if (select !== 'weighted' && pa.weights !== undefined) throw regimenError({ code: 'config', file, field: at('weights'), value: pa.weights, message: 'weights are for select: weighted' });
  return { pareto: { objectives: pa.objectives, select, weights: pa.weights ?? null } };
}

type DataConfig = NonNullable<WorkflowConfig['workflow']['data']>;

/**
 * A universe's series as far as the config alone tells: a universe of files is resolved here
 * (names from the file stems or the map); one of columns needs the file's header, so prepare.ts
 * fills in its series (resolveUniverseColumns).
 */
function universeOf(d: DataConfig, price: string | { mid: [string, string] }, rel: (p: string) => string, file: string): UniverseSpec | undefined {
  const at = (key: string) => `workflow.data.${key}`;
  if (d.columns !== undefined && d.paths !== undefined) throw regimenError({ code: 'config', file, field: at('paths'), value: d.paths, message: 'give columns (of one file) or paths (a series per file), not both' });
  if (d.columns !== undefined) {
    if (d.price !== undefined || d.column !== undefined) throw regimenError({ code: 'config', file, field: at('columns'), value: d.columns, message: 'columns name each series\' price column: give columns or column/price, not both' });
    if (d.path === undefined) throw regimenError({ code: 'config', file, field: at('columns'), value: d.columns, message: 'columns are of the file data.path: give it' });
    return { from: 'columns', all: d.columns === 'all', series: [] };
  }
  if (d.paths === undefined) return undefined;
  if (d.path !== undefined) throw regimenError({ code: 'config', file, field: at('paths'), value: d.paths, message: 'give path (one series) or paths (a series per file), not both' });
  const column = typeof price === 'string' ? price : `mid(${price.mid.join(',')})`;
  const named: Array<[string, string, string]> = Array.isArray(d.paths)
    ? d.paths.map((p, i) => [parse(p).name, p, `paths[${i}]`])
    : Object.entries(d.paths).map(([name, p]) => [name, p, `paths.${name}`]);
  const series = named.map(([name, p, key]) => {
    checkSeriesName(name, file, at(key), p, 'name the series with a map: paths: { name: file }');
    return { name, path: rel(p), column };
  });
  checkDistinct(series.map((x) => x.name), (i) => ({ field: at(named[i]![2]), value: named[i]![1] }), file, 'name the series with a map: paths: { name: file }');
  return { from: 'paths', all: false, series };
}

export type UniverseSpec = NonNullable<ResolvedConfig['data']['universe']>;

/** A series name becomes a folder name: one line naming the entry that cannot be one. */
export function checkSeriesName(name: string, file: string, field: string, value: unknown, hint: string): void {
  const ok = SeriesNameSchema.safeParse(name);
  if (!ok.success) throw regimenError({ code: 'config', file, field, value, message: `series name ${JSON.stringify(name)}: ${ok.error.issues[0]!.message}; ${hint}` });
}

/** Series names are distinct (folders are compared without regard to case, as some file systems do). */
export function checkDistinct(names: string[], where: (i: number) => { field: string; value: unknown }, file: string, hint: string): void {
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    const first = seen.get(n.toLowerCase());
    if (first !== undefined) throw regimenError({ code: 'config', file, ...where(i), message: `duplicate series name ${JSON.stringify(n)} (as ${JSON.stringify(names[first])}); ${hint}` });
    seen.set(n.toLowerCase(), i);
  });
}

export { EMBEDDED_DEFAULT };
