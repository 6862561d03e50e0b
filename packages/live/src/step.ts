import { NO_REGIME, regimenError, type BarColumns, type Decision, type StrategyDecision } from '@regimen/core';
import { adaptiveTrials, regimeSetting, weightVectors, type AdaptiveInput } from '@regimen/backtester';
import { canStepTrial, stepTrial, type TrialStepState } from '@regimen/kernel';
import { callHook, decisionObject } from './decide.js';
import type { LiveRun } from './open.js';

/**
 * What the next call resumes from (live/state.json `step`, written through core's encodeStepState
 * so NaN and −0 survive): after bar `bar`, each classifier's labelStep state, each adaptive trial's
 * step state and the position its event list holds (what `positionAt` reads), and the combined
 * target at `bar` (the next decision's previous position). The states are the plugins' own
 * objects, which their hooks may change in place: a memory is used once.
 */
export interface StepMemory {
  bar: number;
  target: number;
  classifiers: Record<string, unknown>;
  trials: Record<string, { state: TrialStepState; held: number }>;
}

/** Why this run's decisions cannot be stepped (a plugin without a step hook), or null. */
export function whyNotStepped(run: LiveRun): string | null {
  for (const c of run.classifiers) if (!c.plugin.labelStep) return `classifier plugin "${c.plugin.name}" (${c.name}) has no labelStep hook`;
  for (const t of adaptiveTrials(run)) if (!canStepTrial(t.type)) return `strategy plugin "${t.type}" (${t.strategy}) has no step hook`;
  return null;
}

/** bars [from, to) as views */
function between(bars: BarColumns, from: number, to: number): BarColumns {
  return {
    time: bars.time.subarray(from, to),
    open: bars.open.subarray(from, to),
    high: bars.high.subarray(from, to),
    low: bars.low.subarray(from, to),
    close: bars.close.subarray(from, to),
    ...(bars.volume ? { volume: bars.volume.subarray(from, to) } : {}),
  };
}

/** What every stepped decision of a run shares: its trials, legs and weight vectors (as combinedPositions sees them). */
interface Plan {
  trials: ReturnType<typeof adaptiveTrials>;
  names: string[];
  /** legs[s][k]: the trial winning regime k of the driving classifier for strategy s, or null */
  legs: Array<Array<string | null>>;
  w: Float64Array[];
}

const plans = new WeakMap<LiveRun, Plan>();

function planOf(run: LiveRun): Plan {
  let p = plans.get(run);
  if (!p) {
    const driving = run.classifiers.find((c) => c.name === run.driving);
    if (!driving) throw regimenError({ code: 'workspace', file: run.paths.configResolved, field: 'validation.classifier', value: run.driving, message: 'is not one of the run\'s classifiers' });
    const strategies = run.strategies.map((s) => s.name);
    p = {
      trials: adaptiveTrials(run),
      names: driving.regimes,
      legs: strategies.map((s) => driving.regimes.map((name) => run.winners[name]?.[s]?.trial_id ?? null)),
      w: weightVectors({ classifier: run.driving, names: driving.regimes, labels: new Uint8Array(0) }, strategies, run.weights),
    };
    plans.set(run, p);
  }
  return p;
}

/**
 * Step bars [from, to) — `memory` is after bar from−1 (null: from = 0) — and return the memory
 * after bar to−1 and, with `decide`, the decision at bar to−1. Each classifier's labelStep and each
 * adaptive trial's step run once over the whole piece; then, bar by bar from the validation split
 * on, the event position of every trial and the combined target exactly as combinedPositions
 * computes them (same legs, same weight vectors, same sum order, same clamp). Equal, bit for bit,
 * to `decide(run, bars, to − 1)` — which `replay` proves on every validation bar.
 */
export function stepDecisions(run: LiveRun, memory: StepMemory | null, bars: BarColumns, from: number, to: number, opts: { decide?: boolean; probabilities?: boolean } = {}): { memory: StepMemory; decision?: Decision } {
  if ((memory ? memory.bar + 1 : 0) !== from || to <= from) {
    throw regimenError({ code: 'internal', field: 'step', value: { memory: memory?.bar ?? null, from, to }, message: 'a step must continue from the bar after its memory' });
  }
  const plan = planOf(run);
  const piece = between(bars, from, to);
  const n = to - from;
  const next: StepMemory = { bar: to - 1, target: memory?.target ?? 0, classifiers: {}, trials: {} };
  const labels: Record<string, Uint8Array> = {};
  const probabilities: Record<string, Float64Array | undefined> = {};
  for (const c of run.classifiers) {
    const r = callHook(c.plugin.name, 'labelStep', () => c.plugin.labelStep!(memory?.classifiers[c.name] ?? null, piece, c.model, c.options));
    if (!(r.labels instanceof Uint8Array) || r.labels.length !== n) throw regimenError({ code: 'plugin', message: `plugin "${c.plugin.name}" failed in labelStep(): returned ${r.labels?.length} labels for ${n} bars` });
    labels[c.name] = r.labels;
    probabilities[c.name] = r.probabilities;
    next.classifiers[c.name] = r.state;
  }
  const positions = new Map<string, Float64Array>();
  const held = new Map<string, number>();
  for (const t of plan.trials) {
    const before = memory?.trials[t.trial_id];
    const r = stepTrial(t, before?.state ?? null, piece);
    positions.set(t.trial_id, r.positions);
    held.set(t.trial_id, before?.held ?? 0);
    next.trials[t.trial_id] = { state: r.state, held: 0 };
  }
  const driving = labels[run.driving]!;
  let previous = next.target;
  for (let i = 0; i < n; i++) {
    const t = from + i;
    if (t < run.testStart) continue; // outside the window: no events, target 0
    // eventsFromPositions over [testStart, t]: a new event where the position differs from the last
    for (const [id, pos] of positions) if (pos[i] !== held.get(id)) held.set(id, pos[i]!);
    const k = driving[i]!;
    let target = 0;
    if (k !== NO_REGIME) {
      const wk = plan.w[k];
      if (wk === undefined) throw regimenError({ code: 'internal', field: `regime.${run.driving}`, value: k, message: `regime label ${k} at bar ${t} has no weights` });
      let acc = 0;
      for (let s = 0; s < plan.legs.length; s++) {
        const id = plan.legs[s]![k];
        if (id) acc += wk[s]! * held.get(id)!;
      }
      target = acc > 1 ? 1 : acc < -1 ? -1 : acc;
    }
    previous = t === run.testStart ? 0 : next.target;
    next.target = target;
  }
  for (const [id, h] of held) next.trials[id]!.held = h;
  if (!opts.decide) return { memory: next };
  const t = to - 1;
  if (t < run.testStart) throw regimenError({ code: 'usage', field: 'bar', value: t, message: `decisions start at the validation split's first bar ${run.testStart}` });
  return { memory: next, decision: decisionAt(run, plan, bars, t, labels, probabilities, held, next.target, previous, opts.probabilities !== false) };
}

/** The Decision object `decide` builds, from the stepped labels and positions (same fields, same order). */
function decisionAt(run: LiveRun, plan: Plan, bars: BarColumns, t: number, labels: Record<string, Uint8Array>, probabilities: Record<string, Float64Array | undefined>,
  held: Map<string, number>, target: number, previous: number, withProbabilities: boolean): Decision {
  const last = labels[run.driving]!.length - 1;
  const classifiers: Decision['classifiers'] = {};
  for (const c of run.classifiers) {
    const label = labels[c.name]![last]!;
    const regime = label === NO_REGIME ? null : c.regimes[label] ?? null;
    let row: Float64Array | undefined;
    if ((c.plugin.lastProbabilities || c.plugin.probabilities) && withProbabilities) {
      row = probabilities[c.name];
      if (!row) throw regimenError({ code: 'plugin', message: `plugin "${c.plugin.name}" failed in labelStep(): it has probabilities but labelStep gave none for bar ${t}` });
    }
    classifiers[c.name] = row ? { regime, probabilities: Object.fromEntries(c.regimes.map((name, k) => [name, row![k]!])) } : { regime };
  }
  const regimeName = classifiers[run.driving]!.regime;
  const setting = regimeSetting({ strategies: run.strategies, winners: run.winners, weights: run.weights } as AdaptiveInput, regimeName);
  const k = labels[run.driving]![last]!;
  const strategies: Record<string, StrategyDecision> = {};
  run.strategies.forEach((s, i) => {
    const id = k === NO_REGIME ? null : plan.legs[i]![k] ?? null;
    const entry = regimeName ? run.winners[regimeName]?.[s.name] : undefined;
    strategies[s.name] = {
      params: setting.params[s.name] ?? null,
      trial_id: entry?.trial_id ?? null,
      position: id ? held.get(id)! : 0,
      weight: setting.weights[s.name] ?? 0,
    };
  });
  return decisionObject(run, bars, t, { classifiers, regime: regimeName, strategies, weights: setting.weights, target, previous });
}
