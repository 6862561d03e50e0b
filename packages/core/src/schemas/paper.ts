import { join } from 'node:path';
import { z } from 'zod';
import { MetricsSchema } from './metrics.js';
import { DecisionSchema, LiveIdentitySchema } from './live.js';

/**
 * `regimen paper` (issue 19): live/paper.jsonl, the paper ledger, append-only like the decisions
 * journal. It continues the validation: it opens at the bar before the first journaled decision
 * (the run's last bar), holding the position the validation engine held there, with equity 1;
 * every later decision is filled at its bar's close with the run's fee and slippage (DESIGN §5).
 */

/** Where `regimen paper` keeps its ledger when no --state is given, and where `regimen report` looks for it. */
export const defaultPaperLedger = (workspace: string): string => join(workspace, 'live', 'paper.jsonl');
/** The decisions journal of `regimen signal` at its default place (the report counts what is not yet booked). */
export const defaultJournal = (workspace: string): string => join(workspace, 'live', 'decisions.jsonl');

/** The first line: which run, its costs, and the opening mark. */
export const PaperOpenLineSchema = z.object({
  type: z.literal('open'),
  identity: LiveIdentitySchema,
  costs: z.object({ fee: z.number(), slippage: z.number() }),
  driving_classifier: z.string(),
  bar: z.number().int().min(0),
  time: z.string(),
  close: z.number(),
  /** the validation engine's target position at this bar, carried into the paper run without a cost */
  position: z.number(),
  equity: z.number(),
  recorded_at: z.string(),
});

/** The data file of the call that booked the fill lines after it (what `paper status` reads again). */
export const PaperSourceLineSchema = z.object({
  type: z.literal('source'),
  data: z.string(),
  /** bars of that file, and its last bar's time */
  bars: z.number().int().min(0),
  last: z.string(),
  recorded_at: z.string(),
});

/** One bar booked: the decision of its close filled at that close. */
export const PaperFillLineSchema = z.object({
  type: z.literal('fill'),
  bar: z.number().int().min(0),
  time: z.string(),
  close: z.number(),
  /** the driving classifier's regime at this bar (null: none, e.g. warming up) */
  regime: z.string().nullable(),
  previous_position: z.number(),
  position: z.number(),
  /** position − previous_position, filled at fill_price */
  trade: z.number(),
  fill_price: z.number(),
  /** (fee + slippage)·|trade|, a fraction of equity */
  cost: z.number(),
  /** previous_position·(close/previous close − 1) − cost */
  return: z.number(),
  equity: z.number(),
  recorded_at: z.string(),
});

export const PaperLineSchema = z.discriminatedUnion('type', [PaperOpenLineSchema, PaperSourceLineSchema, PaperFillLineSchema]);
export type PaperLine = z.infer<typeof PaperLineSchema>;
export type PaperOpenLine = z.infer<typeof PaperOpenLineSchema>;
export type PaperSourceLine = z.infer<typeof PaperSourceLineSchema>;
export type PaperFillLine = z.infer<typeof PaperFillLineSchema>;

/** One run's result over the paper span: the ledger, buy-and-hold, the validation engine. */
const PaperRunSchema = z.object({ equity: z.number(), metrics: MetricsSchema });

/** What `regimen paper status --json` prints. */
export const PaperStatusSchema = z.object({
  kind: z.literal('regimen.paper_status'),
  identity: LiveIdentitySchema,
  data: z.string(),
  /** the opening bar and the last booked one; bars = fills booked */
  first: z.object({ bar: z.number().int(), time: z.string() }),
  last: z.object({ bar: z.number().int(), time: z.string() }),
  bars: z.number().int().min(0),
  position: z.number(),
  regime: z.string().nullable(),
  paper: PaperRunSchema,
  buy_and_hold: PaperRunSchema,
  validation_engine: PaperRunSchema,
  /** the ledger against the validation engine on the same bars: positions, returns and equity, compared exactly */
  agreement: z.object({
    identical: z.boolean(),
    bars: z.number().int().min(0),
    /** the first bar where they differ, and what */
    first_difference: z.object({ bar: z.number().int(), time: z.string(), field: z.string(), paper: z.number(), engine: z.number() }).nullable(),
  }),
});
export type PaperStatus = z.infer<typeof PaperStatusSchema>;

/** What `regimen paper --json` prints: the newest decision, what this call booked, the ledger's state, the webhook's outcome. */
export const PaperCallSchema = z.object({
  kind: z.literal('regimen.paper'),
  decision: DecisionSchema,
  booked: z.array(PaperFillLineSchema),
  open: z.object({ bar: z.number().int(), time: z.string() }),
  last: z.object({ bar: z.number().int(), time: z.string(), close: z.number(), position: z.number(), equity: z.number() }),
  ledger: z.string(),
  /** null without --webhook */
  delivery: z
    .object({
      url: z.string(),
      delivered: z.array(z.object({ bar: z.number().int(), time: z.string(), attempts: z.number().int() })),
      failed: z.object({ bar: z.number().int(), time: z.string(), attempts: z.number().int(), error: z.string() }).nullable(),
      pending: z.number().int().min(0),
    })
    .nullable(),
});
export type PaperCall = z.infer<typeof PaperCallSchema>;
