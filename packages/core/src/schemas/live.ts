import { z } from 'zod';
import { DataFingerprintSchema, ParamsSchema } from './files.js';

/**
 * `regimen signal` / `regimen paper` (issue 19): the decision for one bar, the journal of decisions
 * (live/decisions.jsonl) and the state the next call resumes from (live/state.json). A decision is
 * what the validation engine decided at that bar, extended past the run's data bar by bar: the same
 * classifiers' causal labels, the same per-regime parameters and weights, the same combined target
 * position (DESIGN §5 "Live parity").
 */

/** Which run a decision comes from: a journal or state of another run is refused. */
export const LiveIdentitySchema = z.object({
  workflow_id: z.string(),
  config_hash: z.string(),
  /** sha256 of the run's data (its metadata/workflow.json data_fingerprint): the history every call must start with */
  data_fingerprint: z.string(),
  /** bars of that history */
  history_bars: z.number().int().min(0),
  regimen_version: z.string(),
  /** a walk-forward: the fold whose model and parameters decide (the latest) */
  fold: z.object({ index: z.number().int(), of: z.number().int() }).optional(),
  /** a series of a universe */
  series: z.string().optional(),
});
export type LiveIdentity = z.infer<typeof LiveIdentitySchema>;

/** One classifier's reading of the bar: its causal regime and, where the plugin gives them, its probabilities. */
export const ClassifierReadingSchema = z.object({
  /** null: the classifier has no regime at this bar (NO_REGIME, e.g. still warming up) */
  regime: z.string().nullable(),
  /** regime → probability (filtered, causal), when the plugin has a probabilities hook */
  probabilities: z.record(z.string(), z.number()).optional(),
});
export type ClassifierReading = z.infer<typeof ClassifierReadingSchema>;

/** One strategy at the bar: the parameters the driving regime puts in force, its position under them, its weight. */
export const StrategyDecisionSchema = z.object({
  /** null: the regime has no winner for this strategy (it sits out with weight 0) */
  params: ParamsSchema.nullable(),
  trial_id: z.string().nullable(),
  /** the strategy's own target position in [−1, 1] under those parameters */
  position: z.number(),
  weight: z.number(),
});
export type StrategyDecision = z.infer<typeof StrategyDecisionSchema>;

/** What `regimen signal --json` prints for one series at one bar. */
export const DecisionSchema = z.object({
  kind: z.literal('regimen.decision'),
  /** absolute bar index in the data file (0 = the run's first bar) */
  bar: z.number().int().min(0),
  time: z.string(),
  close: z.number(),
  /** true: the bar is one of the run's own validation bars (a replay), false: a bar after the run's data */
  in_history: z.boolean(),
  classifiers: z.record(z.string(), ClassifierReadingSchema),
  driving_classifier: z.string(),
  /** the driving classifier's regime (what selects parameters and weights) */
  regime: z.string().nullable(),
  strategies: z.record(z.string(), StrategyDecisionSchema),
  weights: z.record(z.string(), z.number()),
  /** the combined target position, held over the next bar (DESIGN §5) */
  target_position: z.number(),
  /** the target of the bar before (0 before the validation window starts) */
  previous_position: z.number(),
  /** target_position − previous_position: the trade to make at this bar's close */
  change: z.number(),
  identity: LiveIdentitySchema,
});
export type Decision = z.infer<typeof DecisionSchema>;

/** A universe: one decision per series and the equal-weight portfolio's target weight per series (target_position / series count). */
export const UniverseDecisionSchema = z.object({
  kind: z.literal('regimen.universe_decision'),
  time: z.string(),
  series: z.array(DecisionSchema),
  portfolio: z.object({ weights: z.record(z.string(), z.number()), gross: z.number(), net: z.number() }),
  identity: LiveIdentitySchema.omit({ fold: true, series: true }),
});
export type UniverseDecision = z.infer<typeof UniverseDecisionSchema>;

/** Delivery of a decision to a webhook (`--webhook`): filled by the delivering command. */
export const DeliverySchema = z.object({
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int().min(0),
  last_error: z.string().optional(),
  url: z.string().optional(),
  at: z.string().optional(),
});
export type Delivery = z.infer<typeof DeliverySchema>;

/**
 * One line of live/decisions.jsonl, append-only: a decision for a new bar (exactly one per bar,
 * in bar order), or a later record about one (its delivery), so nothing is ever rewritten.
 */
export const JournalDecisionLineSchema = z.object({
  type: z.literal('decision'),
  decision: DecisionSchema,
  delivery: DeliverySchema.optional(),
  recorded_at: z.string(),
});
export const JournalDeliveryLineSchema = z.object({
  type: z.literal('delivery'),
  bar: z.number().int().min(0),
  time: z.string(),
  delivery: DeliverySchema,
  recorded_at: z.string(),
});
export const JournalLineSchema = z.discriminatedUnion('type', [JournalDecisionLineSchema, JournalDeliveryLineSchema]);
export type JournalLine = z.infer<typeof JournalLineSchema>;
export type JournalDecisionLine = z.infer<typeof JournalDecisionLineSchema>;
export type JournalDeliveryLine = z.infer<typeof JournalDeliveryLineSchema>;

/**
 * live/state.json: what the next call needs. Written atomically after the journal lines it
 * covers, so a crash between the two leaves a journal ahead of the state, never behind it.
 */
export const LiveStateSchema = z.object({
  kind: z.literal('regimen.live_state'),
  version: z.literal(1),
  identity: LiveIdentitySchema,
  /** the last bar a decision was journaled for */
  last: z.object({ bar: z.number().int().min(0), time: z.string(), target_position: z.number() }),
  /**
   * sha256 over time and close of bars 0..history.bars−1 (the data fingerprint's hash of those
   * bars): bars 0..last when the call read the file whole; a call that parsed only the file's new
   * lines keeps the one before, and `source` vouches for the bars up to last
   */
  history: DataFingerprintSchema.pick({ sha256: true, bars: true, first: true, last: true }),
  /** per classifier, the filter state at the last bar (plugin-defined, e.g. HMM forward probabilities), when the plugin has one */
  classifiers: z.record(z.string(), z.object({ regime: z.string().nullable(), filter: z.unknown().optional() })),
  /** decision lines in the journal when the state was written */
  journal_decisions: z.number().int().min(0),
  /** byte offset in decisions.jsonl of the line of `last`'s decision: the next call reads the journal from there, not whole */
  journal_offset: z.number().int().min(0).optional(),
  /**
   * the step hooks' memory after `last` (classifiers' labelStep states, trials' step states, the
   * target), through encodeStepState: the next call steps its new bars from it instead of
   * recomputing the history. Absent when a plugin of the run has no step hook.
   */
  step: z.unknown().optional(),
  /**
   * a row-by-row CSV: the file's first `bytes` bytes — whole lines, bars 0..last — and their sha256.
   * The next call hashes those bytes again (every one of them) and, when they are unchanged,
   * parses only the lines after them
   */
  source: z.object({ bytes: z.number().int().min(0), sha256: z.string() }).optional(),
  /** the widest spacing between two bars of the run's history (ms): the gap check's bound, computed once */
  widest_spacing_ms: z.number().optional(),
  updated_at: z.string(),
});
export type LiveState = z.infer<typeof LiveStateSchema>;
