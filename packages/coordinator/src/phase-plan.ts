import { regimenError, type PhaseName } from '@regimen/core';

/**
 * What each phase reads from an earlier one (DESIGN §4 files), so a workflow's phase list is
 * checked before anything runs. Validation's ensemble weights are not a need: without an
 * `ensemble_optimization` phase it uses each strategy's per-regime winner at equal weight
 * (validationWeights), and says so in its results.
 */
const NEEDS: Record<PhaseName, Array<{ phase: PhaseName; file: string }>> = {
  parameter_discovery: [],
  regime_analysis: [{ phase: 'parameter_discovery', file: 'metadata/trials.json and the trial results' }],
  ensemble_optimization: [
    { phase: 'parameter_discovery', file: 'the trials\' signals' },
    { phase: 'regime_analysis', file: 'analysis/regime_optimal_params.json' },
  ],
  validation: [
    { phase: 'parameter_discovery', file: 'the trials and the classifiers\' models' },
    { phase: 'regime_analysis', file: 'analysis/regime_optimal_params.json' },
  ],
};

/**
 * Every phase's inputs come from a phase before it in the list (the order itself is checked by
 * resolveConfig): a workflow either runs or is refused here with one line naming the missing
 * phase. `--from-phase`/`--only-phase` rerun part of a complete list, so they are not affected.
 */
export function checkPhasePlan(order: readonly PhaseName[], configPath: string): void {
  for (const [i, phase] of order.entries()) {
    const missing = NEEDS[phase].find((n) => !order.slice(0, i).includes(n.phase));
    if (missing) {
      throw regimenError({
        code: 'config',
        file: configPath,
        field: 'workflow.phases',
        value: order,
        message: `${phase} needs ${missing.phase} before it (it reads ${missing.file}): add that phase to the list`,
      });
    }
  }
}
