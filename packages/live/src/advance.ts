import { decodeStepState, encodeStepState, regimenError, type BarColumns, type Decision, type JournalLine, type LiveIdentity, type LiveState } from '@regimen/core';
import { isoTime, parseTimeText } from '@regimen/data';
import { loadLiveBars } from './bars.js';
import { decide } from './decide.js';
import { checkDecidedBars, checkNoGap, checkRunHistory, historyHash, widestSpacing } from './history.js';
import { journalPath, readJournal } from './journal.js';
import type { LiveRun } from './open.js';
import { readLiveState, statePath } from './state.js';
import { stepDecisions, whyNotStepped, type StepMemory } from './step.js';
import { prefixUnchanged, readTail, sourcePrefix, tailReadable } from './tail.js';

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
  /** the step memory to resume from instead of the state's (`replay`: the previous step's `step`) */
  step?: unknown;
  /** false: read the file whole even when the state would let a call parse its new lines only (paper books from every bar) */
  tailRead?: boolean;
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
  /** the state after the new bars (to write once their journal lines are durable); a replay's is built when read */
  state: LiveState;
  /** decision lines already in the journal */
  journaled: number;
  /** bars of the data file (after a tail read: bars before the state's last bar are 0, never read) */
  bars: BarColumns;
  /** 'tail': only the lines after the state's prefix were parsed (its bytes hashed unchanged); 'whole': the file was read whole */
  read: 'tail' | 'whole';
  /** seconds spent reading the file, hashing its history (against the run's and the state's, and for the next state), checking the journal and gaps, deciding */
  seconds: { load: number; verify: number; check: number; decide: number };
  /**
   * stepped (bars: how many, catching up included; rebuilt: the memory was rebuilt from bar 0 — a
   * first call, or a state that could not vouch for the file), or recomputed over the whole history and why
   */
  work: { stepped: true; bars: number; rebuilt: boolean } | { stepped: false; reason: string; bars: number };
  /** the step memory after the last bar (encodeStepState form): what `replay` hands to its next step */
  step?: unknown;
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
 * it (the caller found the file's bars 0..last hash to the state's history): a call then reads a
 * few lines, not a journal that grows by a line a bar. Null sends the caller to the whole journal,
 * which names what differs.
 */
function journalTail(run: LiveRun, stateDir: string, state: LiveState): Decision[] | null {
  if (state.journal_offset === undefined) return null;
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
 * run's bars, then every journaled bar, unchanged), then one decision per new bar, each from bars
 * 0..t only. Nothing is written: the caller journals `decisions` and then writes `state`.
 *
 * When every plugin of the run has step hooks, a decision is stepped from the memory the state
 * keeps (or, in a replay, `step`): the classifiers' and strategies' recursions continue from bar
 * last+1, so k new bars cost O(k + warm-up), not O(history). Without a usable memory (the first
 * call, a state that cannot vouch for the file) the memory is rebuilt from bar 0 by the same hooks
 * — once. A run with a plugin lacking them recomputes every decision over the whole history with
 * `decide` (correct, slower), and `work` says so.
 */
export async function advance(run: LiveRun, dataFile: string, opts: AdvanceOptions): Promise<AdvanceResult> {
  const t0 = performance.now();
  const state = readLiveState(opts.stateDir);
  if (state && !sameRun(state.identity, run.identity)) {
    throw regimenError({ code: 'workspace', file: statePath(opts.stateDir), field: 'identity.workflow_id', value: state.identity.workflow_id, message: `is the state of another run than ${run.root}: give this run its own --state folder` });
  }
  // a state that keeps its file's prefix (a row-by-row CSV) lets a call parse only the lines after
  // it, once every byte of the prefix hashes as before (tail.ts); anything else reads the file whole
  const why = whyNotStepped(run);
  let fast: Awaited<ReturnType<typeof readTail>> = null;
  let tail: Decision[] | null = null;
  if (state?.source && state.step !== undefined && state.widest_spacing_ms !== undefined && why === null && opts.bars === undefined && opts.asOf === undefined && opts.replayFrom === undefined && opts.tailRead !== false) {
    tail = journalTail(run, opts.stateDir, state);
    if (tail) fast = await readTail(run, dataFile, state, tail[0]!.close);
    if (!fast) tail = null;
  }
  const b = fast?.bars ?? opts.bars ?? (await loadLiveBars(run, dataFile));
  const t1 = performance.now();
  const n = b.close.length;
  // the state vouches for bars 0..last when they are what it saw — the file's prefix bytes hash as
  // before (a state that keeps them), else the bars hash to its history: the journal is then read
  // from its last decision on, and the run's history (inside those bars) needs no second hash
  const vouched = fast !== null || (state !== null && (state.source
    ? opts.bars === undefined && prefixUnchanged(dataFile, state.source)
    : state.history.bars >= run.historyBars && bars0Hash(b, state) === state.history.sha256));
  tail ??= vouched ? journalTail(run, opts.stateDir, state!) : null;
  // decisions before `decided[0]` (in the journal, not read: the state's hash vouches for their bars)
  const before = tail ? state!.journal_decisions - 1 : 0;
  const decided = tail ?? journaledDecisions(run, opts.stateDir);
  if (opts.replayFrom === undefined && !vouched) await checkRunHistory(run, b, dataFile);
  const t2 = performance.now();
  checkDecidedBars(decided, b, dataFile, journalPath(opts.stateDir));

  let end = n; // decide bars < end
  if (opts.asOf !== undefined) {
    const p = parseTimeText(opts.asOf);
    if (!p.ok) throw regimenError({ code: 'usage', field: '--as-of', value: opts.asOf, message: p.reason });
    const i = lastIndexAtOrBefore(b.time, p.ms);
    if (i < run.testStart) throw regimenError({ code: 'usage', field: '--as-of', value: opts.asOf, message: `is before the validation split's first bar (${isoTime(b.time[run.testStart]!)}): there is no decision then` });
    end = i + 1;
  }
  const lastDecided = decided.length ? decided[decided.length - 1]!.bar : (opts.replayFrom ?? run.historyBars) - 1;
  const from = lastDecided + 1;
  let widest: number | undefined;
  const widestOf = () => (widest ??= (vouched ? state!.widest_spacing_ms : undefined) ?? widestSpacing(run, b));
  if (opts.replayFrom === undefined) checkNoGap(widestOf(), b, from, end, dataFile);
  const t3 = performance.now();

  const saved = opts.step !== undefined ? opts.step : vouched ? state!.step : undefined;
  let memory = why === null && saved ? (decodeStepState(saved) as StepMemory) : null;
  if (memory && memory.bar > lastDecided) memory = null; // ahead of the journal: not this journal's memory
  const decisions: Decision[] = [];
  let stepped = 0;
  let rebuilt = false;
  if (why === null && from < end) {
    // catch up without deciding: from bar 0 (no memory), or over bars journaled after the state was written
    const start = memory ? memory.bar + 1 : 0;
    if (start < from) {
      rebuilt = start === 0;
      memory = stepDecisions(run, memory, b, start, from).memory;
      stepped += from - start;
    }
  }
  for (let t = from; t < end; t++) {
    let d: Decision;
    if (why === null) {
      const r = stepDecisions(run, memory, b, t, t + 1, { decide: true, probabilities: opts.probabilities });
      memory = r.memory;
      d = r.decision!;
      stepped++;
    } else d = decide(run, b, t, { probabilities: opts.probabilities });
    decisions.push(d);
    opts.onDecision?.(d);
  }
  const t4 = performance.now();

  const journaledAt = (t: number) => (decided.length && t >= decided[0]!.bar ? decided[t - decided[0]!.bar] : undefined);
  const latest = decisions[decisions.length - 1] ?? journaledAt(end - 1) ?? decide(run, b, end - 1);
  const lastBar = Math.max(lastDecided, end - 1);
  const lastDecision = decisions[decisions.length - 1] ?? decided[decided.length - 1];
  const stepOut = memory && memory.bar === lastBar ? encodeStepState(memory) : undefined;
  // the state after the new bars; a replay writes none, and skips its hashes (one per bar, each over bars 0..t)
  const nextState = (): LiveState => {
    // the prefix the next call may parse after: the whole file, when every bar of it is decided
    const source = lastBar !== n - 1 || opts.bars !== undefined || !tailReadable(run, dataFile) ? null
      : fast ? fast.source
      : state?.source && vouched && state.last.bar === lastBar ? state.source
      : sourcePrefix(dataFile);
    const keep = stepOut !== undefined ? stepOut : saved !== undefined && vouched && state!.last.bar === lastBar ? saved : undefined;
    return {
      kind: 'regimen.live_state',
      version: 1,
      identity: run.identity,
      last: { bar: lastBar, time: isoTime(b.time[lastBar]!), target_position: lastDecision ? lastDecision.target_position : latest.target_position },
      // a tail read has not the history's bars: the hash of bars 0..history.bars−1 stays true, and `source` vouches for the rest
      history: fast ? state!.history : { sha256: vouched && state!.history.bars === lastBar + 1 ? state!.history.sha256 : historyHash(b, lastBar + 1), bars: lastBar + 1, first: isoTime(b.time[0]!), last: isoTime(b.time[lastBar]!) },
      ...(source ? { source } : {}),
      classifiers: Object.fromEntries(Object.entries((lastDecision ?? latest).classifiers).map(([name, r]) => [name, { regime: r.regime, ...(r.probabilities ? { filter: r.probabilities } : {}) }])),
      journal_decisions: before + decided.length + decisions.length,
      ...(keep !== undefined ? { step: keep } : {}),
      widest_spacing_ms: widestOf(),
      updated_at: new Date().toISOString(),
    };
  };
  const next = opts.replayFrom === undefined ? nextState() : undefined;
  const t5 = performance.now();
  const seconds = { load: (t1 - t0) / 1000, verify: (t2 - t1 + (t5 - t4)) / 1000, check: (t3 - t2) / 1000, decide: (t4 - t3) / 1000 };
  const work: AdvanceResult['work'] = why === null ? { stepped: true, bars: stepped, rebuilt } : { stepped: false, reason: why, bars: decisions.length };
  const result = { decisions, latest, journaled: decided.length, bars: b, read: fast ? 'tail' : 'whole', seconds, work, step: stepOut } as const;
  return next ? { ...result, state: next } : Object.defineProperty({ ...result } as AdvanceResult, 'state', { get: nextState, enumerable: true });
}

/** The state's history hash recomputed on the file: bars 0..state.history.bars−1 (null when the file is shorter). */
function bars0Hash(bars: BarColumns, state: LiveState): string | null {
  return bars.close.length >= state.history.bars ? historyHash(bars, state.history.bars) : null;
}
