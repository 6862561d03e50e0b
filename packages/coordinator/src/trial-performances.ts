import { readJsonFile, TrialPerformanceSchema, TrialsFileSchema, type TrialPerformance } from '@regimen/core';
import type { RunContext } from './context.js';

/**
 * Every kept trial's performance file of the workspace (a fold's), in the trials file's order.
 * Phases 2, 3 and 4 each need all of them (the regime analysis, the PBO of the selections, the
 * best static baseline); reading and validating 600 JSON files is most of a daily series' phase 4,
 * so the first phase to read them keeps them on the context for the later ones of the same run.
 * Only what was read from the files is kept — never phase 1's objects, whose JSON round trip could
 * differ — and frozen, so a phase that changed one would fail instead of changing a later phase.
 * Phase 1 is the only writer of these files and runs before any reader in a process, so what is
 * kept is what is on disk; a resumed or `--only-phase` run starts with nothing kept. Each call
 * returns a new array (of the same frozen objects).
 */
export function trialPerformances(ctx: RunContext): TrialPerformance[] {
  const { trials } = readJsonFile(ctx.paths.trials, TrialsFileSchema);
  const kept = ctx.trialPerformances;
  if (kept && kept.length === trials.length && kept.every((p, i) => p.trial_id === trials[i]!.trial_id)) return [...kept];
  const perfs = trials.map((t) => deepFreeze(readJsonFile(ctx.paths.trialPerformance(t.trial_id), TrialPerformanceSchema)));
  ctx.trialPerformances = perfs;
  return [...perfs];
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
