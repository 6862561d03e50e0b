import { regimenError, type BarColumns, type Decision, type JournalLine, type LiveIdentity, type LiveState } from '@regimen/core';
import { isoTime, parseTimeText } from '@regimen/data';
import { loadLiveBars } from './bars.js';
import { decide } from './decide.js';
import { checkDecidedBars, checkNoGap, checkRunHistory, historyHash } from './history.js';
import { journalPath, readJournal } from './journal.js';
import type { LiveRun } from './open.js';
import { readLiveState, statePath } from './state.js';

export interface AdvanceOptions {
  /** the state and journal folder (default <workspace>/live) */
  stateDir: string;
  /** decide up to the last bar at or before this time instead of the file's last bar */
  asOf?: string;
  /** the bars, when the caller has them already (replay); else read from the data file */
  bars?: BarColumns;
  /**
   * `--replay`: `bars` are the run's own bars cut at t (the caller checked the whole file against
   * the run's fingerprint once), nothing is journaled, and the decision starts at this bar.
   */
  replayFrom?: number;
  /** false: decisions without the classifiers' probabilities (replay: they decide nothing) */
  probabilities?: boolean;
  /** called with each new decision as soon as it is made (signal journals it there, so a killed call keeps what it decided) */
  onDecision?: (d: Decision) => void;
}

export interface AdvanceResult {
  /** one decision per new bar, in order (nothing yet journaled) */
  decisions: Decision[];
  /** the decision to show: of the last bar up to --as-of (new, or already journaled, or recomputed) */
  latest: Decision;
  /** the state after the new bars (to write once their journal lines are durable) */
  state: LiveState;
  /** decision lines already in the journal */
  journaled: number;
  /** bars of the data file */
  bars: BarColumns;
  /** seconds spent reading the file, checking its history (run and journal), deciding */
  seconds: { load: number; check: number; decide: number };
}

const sameRun = (a: LiveIdentity, b: LiveIdentity) =>
  a.workflow_id === b.workflow_id && a.config_hash === b.config_hash && a.data_fingerprint === b.data_fingerprint && a.fold?.index === b.fold?.index && a.series === b.series;

function lastIndexAtOrBefore(time: Float64Array, ms: number): number {
  let lo = 0;
  let hi = time.length; // first index with time > ms
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid]! <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The journal's decisions, checked to be this run's and one per bar in order. */
export function journaledDecisions(run: LiveRun, stateDir: string, from = 0): Decision[] {
  const file = journalPath(stateDir);
  const lines: JournalLine[] = readJournal(stateDir, from);
  const out: Decision[] = [];
  for (const l of lines) {
    if (l.type !== 'decision') continue;
    const d = l.decision;
    if (!sameRun(d.identity, run.identity)) {
      const field = d.identity.workflow_id !== run.identity.workflow_id ? 'workflow_id' : d.identity.config_hash !== run.identity.config_hash ? 'config_hash' : d.identity.data_fingerprint !== run.identity.data_fingerprint ? 'data_fingerprint' : 'fold';
      throw regimenError({ code: 'workspace', file, field: `decision of bar ${d.bar}: identity.${field}`, value: (d.identity as Record<string, unknown>)[field], message: `is from another run than ${run.root} (${field} ${String((run.identity as Record<string, unknown>)[field])}): give this run its own --state folder` });
    }
    const prev = out[out.length - 1];
    if (prev && d.bar !== prev.bar + 1) throw regimenError({ code: 'workspace', file, field: `decision of bar ${d.bar}`, message: `follows the decision of bar ${prev.bar}: the journal has a hole or a duplicate` });
    out.push(d);
  }
  return out;
}

/**
 * The journal from the state's last decision on, when the state can vouch for everything before
 * it (the file's bars 0..last hash to the state's history): a call then reads a few lines, not a
 * journal that grows by a line a bar. Null sends the caller to the whole journal, which names what
 * differs.
 */
function journalTail(run: LiveRun, stateDir: string, state: LiveState, bars: BarColumns): Decision[] | null {
  if (state.journal_offset === undefined || bars.close.length < state.history.bars) return null;
  if (historyHash(bars, state.history.bars) !== state.history.sha256) return null;
  let tail: Decision[];
  try {
    tail = journaledDecisions(run, stateDir, state.journal_offset);
  } catch {
    return null; // the offset is not a line start any more (an edited journal): read it whole
  }
  return tail[0]?.bar === state.last.bar && tail[0].time === state.last.time ? tail : null;
}

/**
 * Process the bars of a data file that no call has decided yet: check the file's history (the
 * run's bars, then every journaled bar, unchanged), then one `decide` per new bar, each from bars
 * 0..t only. Nothing is written: the caller journals `decisions` and then writes `state`.
 */
export async function advance(run: LiveRun, dataFile: string, opts: AdvanceOptions): Promise<AdvanceResult> {
  const t0 = performance.now();
  const b = opts.bars ?? (await loadLiveBars(run, dataFile));
  const t1 = performance.now();
  const n = b.close.length;
  const state = readLiveState(opts.stateDir);
  if (state && !sameRun(state.identity, run.identity)) {
    throw regimenError({ code: 'workspace', file: statePath(opts.stateDir), field: 'identity.workflow_id', value: state.identity.workflow_id, message: `is the state of another run than ${run.root}: give this run its own --state folder` });
  }
  const tail = state ? journalTail(run, opts.stateDir, state, b) : null;
  // decisions before `decided[0]` (in the journal, not read: the state's hash vouches for their bars)
  const before = tail ? state!.journal_decisions - 1 : 0;
  const decided = tail ?? journaledDecisions(run, opts.stateDir);
  if (opts.replayFrom === undefined) await checkRunHistory(run, b, dataFile);
  checkDecidedBars(decided, b, dataFile, journalPath(opts.stateDir));

  let end = n; // decide bars < end
  if (opts.asOf !== undefined) {
    const p = parseTimeText(opts.asOf);
    if (!p.ok) throw regimenError({ code: 'usage', field: '--as-of', value: opts.asOf, message: p.reason });
    const i = lastIndexAtOrBefore(b.time, p.ms);
    if (i < run.testStart) throw regimenError({ code: 'usage', field: '--as-of', value: opts.asOf, message: `is before the validation split's first bar (${isoTime(b.time[run.testStart]!)}): there is no decision then` });
    end = i + 1;
  }
  const t2 = performance.now();
  const lastDecided = decided.length ? decided[decided.length - 1]!.bar : (opts.replayFrom ?? run.historyBars) - 1;
  const from = lastDecided + 1;
  if (opts.replayFrom === undefined) checkNoGap(run, b, from, end, dataFile);
  const decisions: Decision[] = [];
  for (let t = from; t < end; t++) {
    const d = decide(run, b, t, { probabilities: opts.probabilities });
    decisions.push(d);
    opts.onDecision?.(d);
  }

  const journaledAt = (t: number) => (decided.length && t >= decided[0]!.bar ? decided[t - decided[0]!.bar] : undefined);
  const latest = decisions[decisions.length - 1] ?? journaledAt(end - 1) ?? decide(run, b, end - 1);
  const lastBar = Math.max(lastDecided, end - 1);
  const lastDecision = decisions[decisions.length - 1] ?? decided[decided.length - 1];
  const next: LiveState = {
    kind: 'regimen.live_state',
    version: 1,
    identity: run.identity,
    last: { bar: lastBar, time: isoTime(b.time[lastBar]!), target_position: lastDecision ? lastDecision.target_position : latest.target_position },
    history: { sha256: historyHash(b, lastBar + 1), bars: lastBar + 1, first: isoTime(b.time[0]!), last: isoTime(b.time[lastBar]!) },
    classifiers: Object.fromEntries(Object.entries((lastDecision ?? latest).classifiers).map(([name, r]) => [name, { regime: r.regime, ...(r.probabilities ? { filter: r.probabilities } : {}) }])),
    journal_decisions: before + decided.length + decisions.length,
    updated_at: new Date().toISOString(),
  };
  const seconds = { load: (t1 - t0) / 1000, check: (t2 - t1) / 1000, decide: (performance.now() - t2) / 1000 };
  return { decisions, latest, state: next, journaled: decided.length, bars: b, seconds };
}
