/**
 * @regimen/live — `regimen signal`: the decision for the newest bar of a finished workspace, made
 * by the backtester's adaptive engine exactly as phase 4 (validation) made its decisions, with a
 * state and an append-only journal in the workspace's live/ folder. It places no orders.
 *
 * The one entry point every caller goes through for decisions is `advance` (the new bars of a data
 * file → one decision each, from bars 0..t only): it steps each bar from the memory the state
 * keeps (`stepDecisions`, the plugins' step hooks) or, for a run with a plugin lacking them,
 * recomputes it with `decide` (bars 0..t → the decision at t, the whole-series hooks); `replay`
 * calls `advance` one bar at a time over the validation split and compares with the workspace's
 * own decisions.
 */
export {
  // Opens a finished workspace through core's schemas: config, manifest, fitted classifiers,
  // per-regime winners and weights; a walk-forward resolves to its latest fold's sub-workspace.
  // Refuses an incomplete or failed workspace (checkpoints/) with one line.
  openLive,
  type LiveRun,
  // The series of a universe workspace (null for any other), each with its folder.
  universeSeries,
} from './open.js';
export {
  // Reads a data file with the run's own reading options (metadata/config.resolved.json).
  loadLiveBars,
} from './bars.js';
export {
  // The decision at bar t from bars 0..t only (the same AdaptiveInput validation builds).
  decide,
  // The decisions at bars from..to−1, each from bars 0..t only: what `advance` and `replay` use.
  decideRange,
} from './decide.js';
export {
  // The decisions stepped from a saved memory (the plugins' labelStep / step hooks), and why a run
  // cannot be stepped (a plugin without them).
  stepDecisions,
  whyNotStepped,
  type StepMemory,
} from './step.js';
export {
  // Processes the new bars of a data file since the state (or since the run's history): checks
  // the history, returns one decision per new bar and the state after them. Writes nothing.
  advance,
  type AdvanceOptions,
  type AdvanceResult,
} from './advance.js';
export {
  // live/decisions.jsonl: append lines atomically (one write + fsync), read them back (a torn
  // final line left by a killed process is repaired on open, never duplicated).
  appendJournal,
  readJournal,
  repairJournal,
  journalPath,
} from './journal.js';
export {
  // live/state.json: read (validated) and write (atomically).
  readLiveState,
  writeLiveState,
  statePath,
  defaultStateDir,
} from './state.js';
export {
  // advance + journal + state: what `regimen signal` does for one series (or each series of a
  // universe); a repeated call with the same file appends nothing and returns the same decision.
  signal,
  signalUniverse,
  type SignalOptions,
  type SignalResult,
  type UniverseSignalResult,
} from './signal.js';
export {
  // `regimen signal --replay`: the validation split bar by bar through `advance`, compared with
  // analysis/validation_trades.json and the validation positions; the first differing bar if any.
  replay,
  type ReplayReport,
} from './replay.js';
export {
  // `--webhook URL`: POST a decision with bounded retries and backoff; every journaled decision
  // not yet acknowledged is sent on the next call, oldest first (a `delivery` line per outcome).
  webhookUrl,
  postJson,
  DEFAULT_WEBHOOK_POLICY,
  type WebhookPolicy,
  type PostOutcome,
} from './webhook.js';
export { deliverPending, pendingDeliveries, idempotencyKey, type DeliveryReport } from './delivery.js';
export {
  // `regimen paper`: the signal step, then every journaled decision booked in live/paper.jsonl
  // (filled at its bar's close with the run's fee and slippage, DESIGN §5).
  paper,
  readLedger,
  paperPath,
  type PaperOptions,
  type PaperResult,
  type Ledger,
} from './paper.js';
export { bookBar, bookBars, type PaperMark, type PaperFill } from './paper-book.js';
export {
  // `regimen paper status`: the ledger against buy-and-hold and the validation engine on the same bars.
  paperStatus,
  enginePositions,
} from './paper-status.js';
// for tests of the commands built on this package (as the coordinator exports smallWorkflow)
export { paperWorkspace, paperUniverse } from './test-paper-workspace.js';
export { testReceiver, deadUrl, type TestReceiver, type Behaviour } from './test-receiver.js';
