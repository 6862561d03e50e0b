import { canonicalJson, regimenError, sha256, type Candidate, type Params, type ResolvedConfig, type TrialSpec } from '@regimen/core';
import { parseStrategyParams } from '@regimen/kernel';

type StrategyConfig = ResolvedConfig['strategies'][number];

/**
 * A trial's id is derived from its strategy and parameters, so re-running or resuming never
 * renumbers results: `<strategy>-<8 hex of sha256(type, params)>`.
 */
export function trialId(strategy: string, type: string, params: Params): string {
  return `${strategy}-${sha256(canonicalJson({ type, params })).slice(0, 8)}`;
}

/**
 * Candidate from the optimizer + the strategy's fixed params and side → a validated trial. `side`
 * in the parameter space is searched like any categorical parameter: the candidate's wins over the
 * strategy's (which is then its default long_only; the config refuses both at once).
 */
export function makeTrial(s: StrategyConfig, candidate: Candidate, configPath: string): TrialSpec {
  const given: Params = { side: s.side, ...s.params, ...candidate };
  let params: Params;
  try {
    // parsed: every default explicit, so trial files say exactly what ran and ids do not
    // depend on whether a default was spelled out
    params = parseStrategyParams(s.type, given);
  } catch (e) {
    const err = e as { field?: string; message: string; value?: unknown };
    throw regimenError({
      code: 'config',
      file: configPath,
      field: `workflow.strategies.${s.name}${err.field ? '.' + err.field : ''}`,
      value: err.value,
      message: err.message,
    });
  }
  return { trial_id: trialId(s.name, s.type, params), strategy: s.name, type: s.type, params };
}
