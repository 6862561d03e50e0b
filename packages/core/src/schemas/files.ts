import { z } from 'zod';
import { MetricsSchema, RegimeBreakdownSchema, RegimeMetricsSchema } from './metrics.js';
import { DuplicatesSchema, ParameterSpaceSchema, PhaseNameSchema, SideSchema, TimeFormatSchema } from './config.js';

/** Schemas of every JSON file in a workspace (DESIGN §4). Every file read back is validated. */

const scalar = z.union([z.number(), z.string(), z.boolean()]);
export const ParamsSchema = z.record(z.string(), scalar);

export const SplitNameSchema = z.enum(['train', 'test', 'all']);
export type SplitName = z.infer<typeof SplitNameSchema>;

/** One series of a universe: its name (its folder series/<name>/), its file and its price column (or `mid(bid,ask)`). */
export const UniverseSeriesSchema = z.object({ name: z.string(), path: z.string(), column: z.string() });
export type UniverseSeries = z.infer<typeof UniverseSeriesSchema>;

// ---------- metadata/config.resolved.json: every default applied ----------
export const ResolvedConfigSchema = z.object({
  workflow_id: z.string(),
  seed: z.number().int(),
  output_dir: z.string(),
  data: z.object({
    path: z.string(),
    embedded: z.boolean(),
    column: z.string(),
    split: z.object({ train_fraction: z.number().optional(), test_start: z.string().optional() }),
    bars_per_year: z.number().positive().nullable(),
    /** how the file was read (optional only so workspaces made before these choices still validate) */
    time_column: z.string().nullable().optional(),
    time_format: TimeFormatSchema.optional(),
    timezone: z.string().nullable().optional(),
    duplicates: DuplicatesSchema.optional(),
    price: z.union([z.object({ column: z.string() }), z.object({ mid: z.tuple([z.string(), z.string()]) })]).optional(),
    resample: z.object({ every: z.string() }).nullable().optional(),
    /**
     * A universe (absent for one series): every series, resolved against its file — each is run
     * as a workflow of its own in series/<name>/ with `path` and `column` set to its own. `path`
     * above is the file of a universe of columns, or the first file of a universe of files.
     */
    universe: z
      .object({
        from: z.enum(['columns', 'paths']),
        /** `columns: all`: every numeric column but the time column */
        all: z.boolean(),
        series: z.array(UniverseSeriesSchema),
      })
      .optional(),
  }),
  costs: z.object({ fee: z.number(), slippage: z.number() }),
  strategies: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      /** the strategy plugin package it came from (npm name, or an absolute path) */
      plugin: z.string().optional(),
      side: SideSchema,
      params: ParamsSchema,
      parameter_space: ParameterSpaceSchema,
      constraints: z.array(z.string()),
    }),
  ),
  classifiers: z.array(z.object({ name: z.string(), plugin: z.string(), options: z.record(z.string(), z.unknown()) })),
  plugins: z.array(z.string()),
  phases: z.array(PhaseNameSchema),
  parameter_discovery: z.object({
    algorithm: z.string(),
    algorithm_options: z.record(z.string(), z.unknown()),
    capture_signals: z.boolean(),
    signal_format: z.enum(['arrow', 'jsonl']),
    objective: z.string(),
    batch_size: z.number().int().positive(),
    on_error: z.enum(['fail', 'skip']),
    /** only when the config sets a budget (so configs without one keep their hash) */
    budget: z.object({ max_trials: z.number().optional(), timeout: z.union([z.number(), z.string()]).optional(), patience: z.number().optional() }).optional(),
  }),
  regime_analysis: z.object({
    metrics: z.array(z.string()).min(1),
    objective: z.string(),
    min_bars: z.number().int(),
    min_trades: z.number().int(),
    runners_up: z.number().int(),
    pbo_blocks: z.number().int(),
    /** only with several objectives: the Pareto front's objectives and how its winner is picked */
    pareto: z.object({ objectives: z.array(z.string()).min(1), select: z.enum(['first_objective', 'knee', 'weighted']), weights: z.array(z.number()).nullable() }).optional(),
  }),
  ensemble_optimization: z.object({
    algorithm: z.string(),
    algorithm_options: z.record(z.string(), z.unknown()),
    objective: z.string(),
    weight_space: z.record(z.string(), z.unknown()),
    sum_to_one: z.boolean(),
    min_weight: z.number(),
    min_bars: z.number().int(),
    /** only when the config sets a budget */
    budget: z.object({ max_trials: z.number().optional(), timeout: z.union([z.number(), z.string()]).optional(), patience: z.number().optional() }).optional(),
  }),
  validation: z.object({
    data_split: SplitNameSchema,
    verify_transitions: z.boolean(),
    classifier: z.string(),
    method: z.enum(['single', 'walk_forward']),
    /** walk_forward only */
    walk_forward: z
      .object({
        folds: z.union([z.number().int(), z.array(z.string())]),
        scheme: z.enum(['rolling', 'anchored']),
        in_sample: z.union([z.number(), z.string()]).nullable(),
        out_of_sample: z.union([z.number(), z.string()]).nullable(),
        gap: z.number().int(),
      })
      .nullable(),
  }),
});
export type ResolvedConfig = z.infer<typeof ResolvedConfigSchema>;

// ---------- metadata/workflow.json ----------
export const WorkspacePathsSchema = z.object({
  base: z.string(),
  signals: z.string(),
  regimes: z.string(),
  performance: z.string(),
  analysis: z.string(),
  metadata: z.string(),
  classifiers: z.string(),
  checkpoints: z.string(),
});
export type WorkspacePathsRecord = z.infer<typeof WorkspacePathsSchema>;

export const DataFingerprintSchema = z.object({
  sha256: z.string(),
  bars: z.number().int(),
  first: z.string(),
  last: z.string(),
  source: z.string(),
  /** how the file was read: time column, format, zone, duplicates, price, resampling (absent in workspaces made before) */
  reading: z.record(z.string(), z.unknown()).optional(),
});
export type DataFingerprint = z.infer<typeof DataFingerprintSchema>;

const WindowSpanSchema = z.object({ start: z.number().int(), end: z.number().int(), first: z.string(), last: z.string() });
/** one fold of a walk-forward: its in-sample and out-of-sample windows, as bars [start, end) and dates */
export const FoldPlanEntrySchema = z.object({ index: z.number().int(), in_sample: WindowSpanSchema, out_of_sample: WindowSpanSchema });
export type FoldPlanEntry = z.infer<typeof FoldPlanEntrySchema>;

export const ManifestSchema = z.object({
  workflow_id: z.string(),
  created_at: z.string(),
  regimen_version: z.string(),
  paths: WorkspacePathsSchema,
  phases: z.array(PhaseNameSchema),
  config_hash: z.string(),
  /** the workflow file the run was started from (relative paths in it resolve from its folder) */
  config_path: z.string(),
  data_fingerprint: DataFingerprintSchema,
  split: z.object({ train_bars: z.number().int(), test_bars: z.number().int(), test_start: z.string() }),
  bars_per_year: z.number(),
  /** a walk-forward: the fold plan (each fold's files are in folds/fold_<k>/) */
  folds: z.array(FoldPlanEntrySchema).optional(),
  /** the manifest of one fold of a walk-forward: which, and the run's workspace */
  fold: z.object({ index: z.number().int(), of: z.number().int(), workspace: z.string() }).optional(),
  /**
   * A universe: every series, its folder (series/<name>/, a workspace of this layout) and what it
   * was run on. The top-level data_fingerprint then hashes the series' fingerprints in order
   * (bars: their sum, first/last: the span of all), split sums their splits (test_start: the
   * earliest), and bars_per_year is that of the bars all series share (the portfolio's); each
   * series' own are here and in its folder's workflow.json.
   */
  universe: z
    .object({
      series: z.array(
        z.object({
          name: z.string(),
          workspace: z.string(),
          column: z.string(),
          data_fingerprint: DataFingerprintSchema,
          split: z.object({ train_bars: z.number().int(), test_bars: z.number().int(), test_start: z.string() }),
          bars_per_year: z.number(),
        }),
      ),
    })
    .optional(),
  /** the manifest of one series of a universe: which, and the run's workspace */
  series: z.object({ name: z.string(), index: z.number().int(), of: z.number().int(), workspace: z.string() }).optional(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

// ---------- metadata/trials.json ----------
export const TrialSpecSchema = z.object({
  trial_id: z.string(),
  strategy: z.string(),
  type: z.string(),
  params: ParamsSchema,
});
export const TrialsFileSchema = z.object({ trials: z.array(TrialSpecSchema) });
export type TrialsFile = z.infer<typeof TrialsFileSchema>;

// ---------- performance/failed_trials.json (on_error: skip) ----------
export const FailedTrialsSchema = z.object({
  failed: z.array(z.object({ trial_id: z.string(), strategy: z.string(), params: ParamsSchema, error: z.string() })),
});
export type FailedTrials = z.infer<typeof FailedTrialsSchema>;

// ---------- checkpoints/<phase>.json ----------
/** How one strategy's phase-1 search ended, and under which algorithm and budget. */
export const SearchOutcomeSchema = z.object({
  algorithm: z.string(),
  /** trials the search kept (phase 1: those in metadata/trials.json for the strategy; phase 3: weight sets told, the warm start not counted) */
  trials: z.number().int(),
  stopped_by: z.enum(['exhausted', 'max_trials', 'patience', 'timeout']),
  /** false when a timeout ended it: another machine (or load) would have run a different number of trials */
  reproducible: z.boolean(),
  budget: z.object({ max_trials: z.number().optional(), timeout_seconds: z.number().optional(), patience: z.number().optional() }),
});
export type SearchOutcome = z.infer<typeof SearchOutcomeSchema>;

export const CheckpointSchema = z.object({
  phase: PhaseNameSchema,
  status: z.literal('complete'),
  completed_at: z.string(),
  inputs_hash: z.string(),
  outputs: z.array(z.string()),
  counts: z.record(z.string(), z.number()),
  seconds: z.number(),
  /** seconds per stage of the phase (wall time; `*_cpu` stages sum the workers' time) */
  stages: z.record(z.string(), z.number()).optional(),
  /**
   * how each search ended (a timeout is not reproducible, so it is recorded): phase 1 per strategy,
   * phase 3 per `<classifier>/<regime>` when it has a budget
   */
  search: z.record(z.string(), SearchOutcomeSchema).optional(),
});
export type Checkpoint = z.infer<typeof CheckpointSchema>;

// ---------- performance/trial_<id>.json ----------
export const TrialPerformanceSchema = z.object({
  trial_id: z.string(),
  strategy: z.string(),
  type: z.string(),
  params: ParamsSchema,
  split: SplitNameSchema,
  bars: z.number().int(),
  metrics: MetricsSchema,
  regimes: RegimeBreakdownSchema,
  signals_path: z.string().nullable(),
});
export type TrialPerformance = z.infer<typeof TrialPerformanceSchema>;

// ---------- analysis/regime_optimal_params.json ----------
export const OptimalEntrySchema = z.object({
  params: ParamsSchema,
  trial_id: z.string(),
  metric: z.string(),
  score: z.number(),
});
export type OptimalEntry = z.infer<typeof OptimalEntrySchema>;
/** classifier → regime → strategy → winner */
export const RegimeOptimalParamsSchema = z.record(z.string(), z.record(z.string(), z.record(z.string(), OptimalEntrySchema)));
export type RegimeOptimalParams = z.infer<typeof RegimeOptimalParamsSchema>;

// ---------- analysis/ensemble_weights.json: exactly the seed's shape ----------
export const EnsembleWeightsSchema = z.record(z.string(), z.record(z.string(), z.record(z.string(), z.number().min(0).max(1))));
export type EnsembleWeights = z.infer<typeof EnsembleWeightsSchema>;

// ---------- performance/ensemble_trial_<id>.json ----------
export const EnsembleTrialSchema = z.object({
  ensemble_trial_id: z.string(),
  classifier: z.string(),
  weights: z.record(z.string(), z.number()),
  split: SplitNameSchema,
  bars: z.number().int(),
  metrics: MetricsSchema,
  regimes: RegimeBreakdownSchema,
  /** per regime, the objective's score of this weight set */
  scores: z.record(z.string(), z.number()),
});
export type EnsembleTrial = z.infer<typeof EnsembleTrialSchema>;

// ---------- performance/validation_results.json ----------
export const TransitionSchema = z.object({
  bar: z.number().int(),
  time: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
});
export const ValidationRunSchema = z.object({
  metrics: MetricsSchema,
  regimes: z.record(z.string(), RegimeMetricsSchema),
});
export const ValidationResultsSchema = z.object({
  classifier: z.string(),
  split: SplitNameSchema,
  bars: z.number().int(),
  first: z.string(),
  last: z.string(),
  adaptive: ValidationRunSchema,
  baselines: z.object({
    best_static: ValidationRunSchema.extend({ trial_id: z.string(), strategy: z.string(), params: ParamsSchema }),
    equal_weights: ValidationRunSchema.extend({ weights: z.record(z.string(), z.number()) }),
    buy_and_hold: ValidationRunSchema,
  }),
  transitions: z.array(TransitionSchema),
  checks: z.object({
    transitions_verified: z.boolean().nullable(),
    transitions_checked: z.number().int(),
    look_ahead: z.object({ passed: z.boolean(), cuts: z.array(z.number().int()) }).nullable(),
  }),
  /** the adaptive run under every other configured classifier, for comparison */
  other_classifiers: z.record(z.string(), ValidationRunSchema),
  /**
   * the weights the adaptive run used per regime of its classifier, and where they came from:
   * `ensemble_optimization` (analysis/ensemble_weights.json) or, in a workflow without that
   * phase, `equal_regime_winners` — each strategy's per-regime winner at equal weight.
   * Absent in workspaces made before it was recorded.
   */
  weights: z.object({
    source: z.enum(['ensemble_optimization', 'equal_regime_winners']),
    by_regime: z.record(z.string(), z.record(z.string(), z.number())),
  }).optional(),
});
export type ValidationResults = z.infer<typeof ValidationResultsSchema>;

// ---------- performance/validation_equity.arrow ----------
/**
 * The equity of every validation run at every bar of the validation window (E = 1 at its first
 * bar, compounding the returns its metrics were computed from), so a reader draws the curves
 * without market data or an engine. Arrow columns: time Timestamp(ms), then one Float64 column
 * per run named as below; these facts are the file's schema metadata.
 */
export const ValidationEquityMetaSchema = z.object({
  kind: z.literal('regimen.validation_equity'),
  /** the classifier whose regimes drove the adaptive run */
  classifier: z.string(),
  split: SplitNameSchema,
  /** absolute bar index of the first row */
  start: z.number().int().min(0),
  /** equity column names in order: adaptive, best_static, equal_weights, buy_and_hold, then otherClassifierRun(c) */
  runs: z.array(z.string()).min(1),
});
export type ValidationEquityMeta = z.infer<typeof ValidationEquityMetaSchema>;
/** The equity column of the adaptive run driven by another classifier (validation_results.other_classifiers). */
export const otherClassifierRun = (classifier: string): string => `adaptive:${classifier}`;

// ---------- analysis/validation_trades.json ----------
export const ValidationTradeSchema = z.object({
  bar: z.number().int(),
  time: z.string(),
  regime: z.string().nullable(),
  from_position: z.number(),
  to_position: z.number(),
  price: z.number(),
  params: z.record(z.string(), ParamsSchema),
  weights: z.record(z.string(), z.number()),
});
export const ValidationTradesSchema = z.object({
  classifier: z.string(),
  trades: z.array(ValidationTradeSchema),
});
export type ValidationTrades = z.infer<typeof ValidationTradesSchema>;
export type ValidationTrade = z.infer<typeof ValidationTradeSchema>;

// ---------- metadata/classifiers/<name>.json ----------
export const ClassifierModelFileSchema = z.object({
  name: z.string(),
  plugin: z.string(),
  options: z.record(z.string(), z.unknown()),
  regimes: z.array(z.string()),
  train_bars: z.number().int(),
  /** fit diagnostics from the plugin's summary hook (log-likelihood, AIC, BIC...) */
  summary: z.record(z.string(), z.unknown()).optional(),
  model: z.unknown(),
});
export type ClassifierModelFile = z.infer<typeof ClassifierModelFileSchema>;
