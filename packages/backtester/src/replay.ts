import type { Costs, Engine, OptimalEntry, RegimeTrack, ReplayBatch, ReplayRow, ScoreWindow, SignalEvents } from '@regimen/core';
import { readSignalEvents } from '@regimen/data';

/**
 * Mode `signal_replay` (DESIGN §5): rebuild each strategy's positions from the change events
 * captured in phase 1, pick for every bar the trial that is optimal for the bar's regime, combine
 * with the weights and run the same PnL loop. No indicator is computed.
 */
export type RegimeWinners = Record<string, Record<string, OptimalEntry>>;
/** regime → strategy → weight */
export type RegimeWeights = Record<string, Record<string, number>>;

export interface ReplayInput {
  close: Float64Array;
  window: ScoreWindow;
  regime: RegimeTrack;
  breakdown: RegimeTrack[];
  strategies: string[];
  /** for the driving classifier: regime → strategy → winning trial */
  winners: RegimeWinners;
  costs: Costs;
  barsPerYear: number;
}

/** legs[s].byRegime[k]: the events of the trial that wins regime k for strategy s */
export function buildLegs(
  regime: RegimeTrack,
  strategies: string[],
  winners: RegimeWinners,
  eventsOf: (trialId: string) => SignalEvents,
): ReplayBatch['legs'] {
  const cache = new Map<string, SignalEvents>();
  const load = (id: string) => {
    let e = cache.get(id);
    if (!e) cache.set(id, (e = eventsOf(id)));
    return e;
  };
  return strategies.map((strategy) => ({
    strategy,
    byRegime: regime.names.map((name) => {
      const entry = winners[name]?.[strategy];
      return entry ? load(entry.trial_id) : null;
    }),
  }));
}

/** A weight set given per regime (or one map for every regime) as the kernel's per-regime vectors. */
export function weightVectors(regime: RegimeTrack, strategies: string[], weights: RegimeWeights | Record<string, number>): Float64Array[] {
  const perRegime = (name: string): Record<string, number> => {
    const w = (weights as RegimeWeights)[name];
    return w !== undefined && typeof w === 'object' ? w : (weights as Record<string, number>);
  };
  return regime.names.map((name) => Float64Array.from(strategies, (s) => perRegime(name)[s] ?? 0));
}

export function replayBatch(input: ReplayInput, legs: ReplayBatch['legs'], weightSets: Array<RegimeWeights | Record<string, number>>): ReplayBatch {
  return {
    close: input.close,
    window: input.window,
    regime: input.regime,
    breakdown: input.breakdown,
    legs,
    weightSets: weightSets.map((w) => weightVectors(input.regime, input.strategies, w)),
    costs: input.costs,
    barsPerYear: input.barsPerYear,
  };
}

/** Replay weight sets from the signal files of a workspace. */
export function runSignalReplay(
  input: ReplayInput,
  signalsPath: (trialId: string) => string,
  weightSets: Array<RegimeWeights | Record<string, number>>,
  engine: Engine,
): ReplayRow[] {
  const legs = buildLegs(input.regime, input.strategies, input.winners, (id) => readSignalEvents(signalsPath(id)).events);
  return engine.replay(replayBatch(input, legs, weightSets));
}
