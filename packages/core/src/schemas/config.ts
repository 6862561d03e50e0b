import { z } from 'zod';

/**
 * The workflow config (YAML). The seed's YAML (examples/seed-workflow.yaml) is valid as is; every
 * key it leaves out has a documented default, applied by the coordinator when it resolves the config.
 */

const scalar = z.union([z.number(), z.string(), z.boolean()]);

/** A parameter dimension: a list of values, or a numeric range. */
export const RangeSchema = z
  .object({
    min: z.number(),
    max: z.number(),
    step: z.number().positive().optional(),
    /** number of points, for log scale or when no step is given */
    count: z.number().int().positive().optional(),
    log: z.boolean().optional(),
    type: z.enum(['int', 'float']).optional(),
  })
  .strict()
  .refine((r) => r.max >= r.min, { message: 'max must be >= min' })
  // without step or count a range is continuous, which must be said (type: float, or log: true)
  // so that a forgotten step stays an error rather than silently becoming an unsearchable range
  .refine((r) => r.step !== undefined || r.count !== undefined || r.min === r.max || r.type === 'float' || r.log === true, {
    message: 'a range needs step or count (or type: float / log: true for a continuous range, which random and genetic search sample)',
  });
export type RangeSpec = z.infer<typeof RangeSchema>;

export const DimensionSchema = z.union([z.array(scalar).min(1), RangeSchema, scalar]);
export type DimensionSpec = z.infer<typeof DimensionSchema>;

export const ParameterSpaceSchema = z.record(z.string(), DimensionSchema);
export type ParameterSpaceSpec = z.infer<typeof ParameterSpaceSchema>;

export const SideSchema = z.enum(['long_only', 'long_short']);

export const StrategyConfigSchema = z
  .object({
    /** a built-in strategy or a registered strategy plugin's name; with `plugin`, which of the package's strategies */
    type: z.string().optional(),
    /** a strategy plugin package: an npm name or a path relative to the config */
    plugin: z.string().optional(),
    side: SideSchema.optional(),
    /** fixed parameters, not searched */
    params: z.record(z.string(), scalar).optional(),
    /** this strategy's own space; without it the phase's `parameter_space` applies */
    parameter_space: ParameterSpaceSchema.optional(),
    /** expressions over parameters, e.g. `fast < slow` */
    constraints: z.array(z.string()).optional(),
  })
  .strict()
  .refine((s) => s.type !== undefined || s.plugin !== undefined, { message: 'a strategy needs a type (built-in or registered) or a plugin (package name or path)' });
export type StrategyConfig = z.infer<typeof StrategyConfigSchema>;

export const ClassifierConfigSchema = z
  .object({
    /** registered plugin name or alias (default: the classifier's key) */
    plugin: z.string().optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type ClassifierConfig = z.infer<typeof ClassifierConfigSchema>;

export const SplitSchema = z
  .object({
    train_fraction: z.number().gt(0).lt(1).optional(),
    /** first bar of the test split: an ISO date/time */
    test_start: z.string().optional(),
  })
  .strict();

export const TimeFormatSchema = z.enum(['iso', 'epoch_s', 'epoch_ms', 'epoch_us', 'epoch_ns']);
/**
 * Rows with the time of the previous row: an error, keep the first or the last of each run, or
 * keep `all` in file order (ticks that share a stamp; only with `resample`, which makes them one
 * bar — the default there).
 */
export const DuplicatesSchema = z.enum(['error', 'first', 'last', 'all']);
/** the price: one column, or the mid of two (`{ mid: [bid, ask] }`) */
export const PriceSchema = z.union([z.string().min(1), z.object({ mid: z.tuple([z.string().min(1), z.string().min(1)]) }).strict()]);
/** `30s`, `5min`, `1h`, `1d`: a whole number and a unit */
export const IntervalSchema = z.string().regex(/^[1-9]\d*(s|min|h|d)$/, 'an interval such as 30s, 5min, 1h or 1d');
export const ResampleSchema = z.object({ every: IntervalSchema }).strict();

/** A series' name: it becomes the folder series/<name>/ of a universe's workspace. */
export const SeriesNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a series name becomes a folder name: a letter or digit, then letters, digits, _ . -');
const count = (v: string | unknown[] | Record<string, unknown>) => (typeof v === 'string' ? 1 : Array.isArray(v) ? v.length : Object.keys(v).length);
// series names (map keys) are checked once the series are known, naming the entry (SeriesNameSchema)
/** a universe from one file: these price columns (a list, or series name → column), or every numeric column */
export const UniverseColumnsSchema = z
  .union([z.literal('all'), z.array(z.string().min(1)), z.record(z.string(), z.string().min(1))])
  .refine((v) => count(v) > 0, 'an empty universe: name at least one column (or all)');
/** a universe of files, a series per file: a list (each series named by its file's stem) or series name → path */
export const UniversePathsSchema = z
  .union([z.array(z.string().min(1)), z.record(z.string(), z.string().min(1))])
  .refine((v) => count(v) > 0, 'an empty universe: name at least one file');

export const DataConfigSchema = z
  .object({
    /** CSV, Arrow IPC or Parquet file; relative to the config file. Default: the embedded series. */
    path: z.string().optional(),
    /** a universe: several price columns of `path`, each run as a series of its own */
    columns: UniverseColumnsSchema.optional(),
    /** a universe: several files (relative to the config file), each run as a series of its own */
    paths: UniversePathsSchema.optional(),
    /** price column (default `close`); `price` says the same and can also take the mid of two */
    column: z.string().optional(),
    price: PriceSchema.optional(),
    /** the time key's column, any position (default: the first column, named date|timestamp|time|datetime|bar) */
    time_column: z.string().min(1).optional(),
    /** how the time key is written (default iso) */
    time_format: TimeFormatSchema.optional(),
    /** IANA zone of date-times written without Z or an offset (without it such a time is an error) */
    timezone: z.string().min(1).optional(),
    /** rows with the time of the previous row: an error (default), keep the first or the last, or `all` (with resample, its default) */
    duplicates: DuplicatesSchema.optional(),
    /** OHLC bars of this interval, each stamped at its interval's end */
    resample: ResampleSchema.optional(),
    split: SplitSchema.optional(),
    bars_per_year: z.number().positive().optional(),
  })
  .strict();

export const CostsSchema = z
  .object({
    fee: z.number().min(0).max(0.1).optional(),
    slippage: z.number().min(0).max(0.1).optional(),
  })
  .strict();

export const PhaseNameSchema = z.enum(['parameter_discovery', 'regime_analysis', 'ensemble_optimization', 'validation']);
export type PhaseName = z.infer<typeof PhaseNameSchema>;
export const PHASES: readonly PhaseName[] = PhaseNameSchema.options;

const ObjectiveSchema = z.string();

export const ParameterDiscoveryConfigSchema = z
  .object({
    algorithm: z.string().optional(),
    algorithm_options: z.record(z.string(), z.unknown()).optional(),
    parameter_space: ParameterSpaceSchema.optional(),
    regime_classifiers: z.array(z.string()).optional(),
    capture_signals: z.boolean().optional(),
    signal_format: z.enum(['arrow', 'jsonl']).optional(),
    objective: ObjectiveSchema.optional(),
    /** trials sent to a worker per message */
    batch_size: z.number().int().positive().optional(),
    /** a trial that fails (after one retry): stop the phase, or record it and go on */
    on_error: z.enum(['fail', 'skip']).optional(),
    /** the budget of each strategy's search (docs/search.md): at most this many trials */
    max_trials: z.number().optional(),
    /** stop asking once the search has run this long: seconds, or `90s`, `15m`, `2h` (not reproducible) */
    timeout: z.union([z.number(), z.string()]).optional(),
    /** stop once this many trials in a row improved no classifier × regime pair's best */
    patience: z.number().optional(),
  })
  .strict();

export const RegimeAnalysisConfigSchema = z
  .object({
    method: z.string().optional(),
    group_by: z.array(z.string()).optional(),
    /** ranking metric first, the others reported */
    metrics: z.array(z.string()).min(1).optional(),
    objective: ObjectiveSchema.optional(),
    /** several objectives (`[sharpe, -max_drawdown]`): the Pareto front per regime, its winner picked by `select` */
    objectives: z.array(ObjectiveSchema).min(1).optional(),
    /** how the winner is picked from a Pareto front (docs/search.md) */
    select: z.enum(['first_objective', 'knee', 'weighted']).optional(),
    /** select: weighted — one weight per objective */
    weights: z.array(z.number()).optional(),
    min_bars: z.number().int().min(0).optional(),
    min_trades: z.number().int().min(0).optional(),
    runners_up: z.number().int().min(0).optional(),
    /** S of the PBO's combinatorially symmetric cross-validation (even; default 16) */
    pbo_blocks: z.number().int().min(2).max(20, 'at most 20 blocks (C(20, 10) = 184,756 splits)').refine((s) => s % 2 === 0, 'an even number of blocks').optional(),
  })
  .strict();

export const EnsembleConfigSchema = z
  .object({
    algorithm: z.string().optional(),
    algorithm_options: z.record(z.string(), z.unknown()).optional(),
    signal_replay: z.boolean().optional(),
    objective: ObjectiveSchema.optional(),
    /** weight grid values per strategy (grid algorithm) */
    weight_space: z.record(z.string(), DimensionSchema).optional(),
    weight_constraints: z
      .object({ sum_to_one: z.boolean().optional(), min_weight: z.number().min(0).max(1).optional() })
      .strict()
      .optional(),
    min_bars: z.number().int().min(0).optional(),
    /** the budget of each classifier × regime weight search (docs/search.md), as in parameter_discovery */
    max_trials: z.number().optional(),
    timeout: z.union([z.number(), z.string()]).optional(),
    patience: z.number().optional(),
  })
  .strict();

/** A window length: bars (integer ≥ 2), a fraction of all bars, or a calendar duration (`6mo`, `2y`). */
const WindowLengthSchema = z.union([z.number(), z.string()]);

export const ValidationConfigSchema = z
  .object({
    data_split: z.enum(['test', 'train', 'all']).optional(),
    mode: z.enum(['adaptive']).optional(),
    verify_transitions: z.boolean().optional(),
    /** the classifier whose regimes drive the adaptive strategy (default: the first) */
    classifier: z.string().optional(),
    /** one train/test split (default), or a walk-forward over several folds */
    method: z.enum(['single', 'walk_forward']).optional(),
    /** walk-forward: the number of folds, or the dates that start each out-of-sample window */
    folds: z.union([z.number(), z.array(z.string())]).optional(),
    /** walk-forward: in-sample windows of one length (rolling) or all from the first bar (anchored) */
    scheme: z.enum(['rolling', 'anchored']).optional(),
    in_sample: WindowLengthSchema.optional(),
    out_of_sample: WindowLengthSchema.optional(),
    /** walk-forward: bars left out between each in-sample window and its out-of-sample window */
    gap: z.number().optional(),
  })
  .strict();

const phase = <N extends PhaseName, C extends z.ZodType>(name: N, config: C) =>
  z
    .object({ name: z.literal(name), type: z.string().optional(), config: config.optional() })
    .strict();

export const PhaseConfigSchema = z.discriminatedUnion('name', [
  phase('parameter_discovery', ParameterDiscoveryConfigSchema),
  phase('regime_analysis', RegimeAnalysisConfigSchema),
  phase('ensemble_optimization', EnsembleConfigSchema),
  phase('validation', ValidationConfigSchema),
]);
export type PhaseConfig = z.infer<typeof PhaseConfigSchema>;

export const WorkflowConfigSchema = z
  .object({
    workflow: z
      .object({
        id: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only').optional(),
        type: z.literal('regime_adaptive_optimization').optional(),
        output_dir: z.string().optional(),
        seed: z.number().int().optional(),
        data: DataConfigSchema.optional(),
        costs: CostsSchema.optional(),
        strategies: z.record(z.string(), StrategyConfigSchema).optional(),
        classifiers: z.record(z.string(), ClassifierConfigSchema).optional(),
        /** third-party plugin packages (npm names or paths relative to the config) */
        plugins: z.array(z.string()).optional(),
        /**
         * where backtests run: `local` (the worker pool here, the default) or a Redis URL whose
         * `regimen worker` processes run them; not part of the experiment (a run may be resumed
         * with the other executor), so not in the config hash
         */
        executor: z.string().regex(/^(local|rediss?:\/\/.+)$/i, 'local, or a redis:// or rediss:// URL').optional(),
        phases: z.array(PhaseConfigSchema).min(1),
      })
      .strict(),
  })
  .strict();
export type WorkflowConfig = z.infer<typeof WorkflowConfigSchema>;
