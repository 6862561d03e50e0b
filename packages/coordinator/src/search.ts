import { gridSize, isContinuous, isRegimenError, parsePluginOptions, regimenError, type PluginRegistry, type ResolvedConfig, type Rng, type SearchSpace } from '@regimen/core';
import { assertSatisfiable, buildSearchSpace, isBounded, searchBudget, withBudget, type BudgetedSearch, type SearchBudget } from '@regimen/optimizer';

type StrategyConfig = ResolvedConfig['strategies'][number];
const P1 = 'workflow.phases.parameter_discovery.config';

/** A phase's search budget from the config (validated: one line naming the key). */
export function phaseBudget(config: ResolvedConfig, phase: 'parameter_discovery' | 'ensemble_optimization', file?: string): SearchBudget {
  try {
    return searchBudget(config[phase].budget ?? {}, `workflow.phases.${phase}.config`);
  } catch (e) {
    throw isRegimenError(e) ? regimenError({ code: e.code, file, field: e.field, value: e.value, message: e.message }) : e;
  }
}

export interface StrategySearch {
  space: SearchSpace;
  search: BudgetedSearch;
  /** the algorithm that runs: the configured one, or grid when the budget covers the whole grid */
  algorithm: string;
  budget: SearchBudget;
  /** what a user should know about this search before it runs (grid fallback, a truncated grid) */
  notes: string[];
}

/**
 * One strategy's phase-1 search as phase 1, the preflight and --dry-run all make it: its space
 * (satisfiable), the configured optimizer — or the grid, said so, when max_trials covers every
 * point of a finite space (a sample that size is the grid in another order, and a model-based
 * search would only approach it) — under the phase's budget. A continuous space needs max_trials
 * or timeout. Errors name the strategy.
 */
export function strategySearch(config: ResolvedConfig, registry: PluginRegistry, s: StrategyConfig, rng: Rng, file?: string): StrategySearch {
  const where = `workflow.strategies.${s.name}`;
  const at = (e: unknown): never => {
    if (!isRegimenError(e)) throw e;
    throw regimenError({ code: e.code === 'plugin' ? 'config' : e.code, file: e.file ?? file, field: e.field?.startsWith('workflow.') ? e.field : `${where}${e.field ? `.parameter_space.${e.field}` : ''}`, value: e.value, message: e.message, cause: e });
  };
  const budget = phaseBudget(config, 'parameter_discovery', file);
  const p1 = config.parameter_discovery;
  const space = buildSearchSpace(s.parameter_space, { constraints: s.constraints, where });
  assertSatisfiable(space, where);
  const finite = !space.dimensions.some(isContinuous);
  const points = finite ? gridSize(space) : Number.POSITIVE_INFINITY;
  const notes: string[] = [];
  let algorithm = p1.algorithm;
  let optionsIn: unknown = p1.algorithm_options;
  if (algorithm !== 'grid' && budget.max_trials !== undefined && budget.max_trials >= points) {
    notes.push(`${s.name}: max_trials ${budget.max_trials} ≥ the ${points} points of its grid: the whole grid runs (algorithm ${p1.algorithm} is not needed)`);
    algorithm = 'grid';
    optionsIn = {};
  }
  const plugin = registry.optimizer(algorithm);
  const options = parsePluginOptions(plugin, optionsIn, `${P1}.algorithm_options`);
  if (!finite && !isBounded(budget)) {
    throw regimenError({ code: 'config', file, field: `${where}.parameter_space`, message: `a continuous range (no step or count) makes an endless search: set max_trials or timeout in ${P1}` });
  }
  let inner;
  try {
    inner = plugin.create(space, options, rng);
  } catch (e) {
    return at(e);
  }
  if (algorithm === 'grid' && budget.max_trials !== undefined && budget.max_trials < points && (optionsIn as { sample?: number }).sample === undefined) {
    notes.push(`${s.name}: grid with max_trials ${budget.max_trials} < its ${points} points runs the first ${budget.max_trials} in grid order (last parameter fastest); algorithm random spreads them over the space`);
  }
  const search = withBudget(inner, budget);
  // a sampler may find only when it draws that its feasible region is too small: name the strategy
  const guard = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      return at(e);
    }
  };
  const guarded: BudgetedSearch = {
    ask: (n) => guard(() => search.ask(n)),
    tell: (results) => search.tell(results),
    get done() {
      return guard(() => search.done);
    },
    estimate: () => search.estimate(),
    get stoppedBy() {
      return search.stoppedBy;
    },
    get asked() {
      return search.asked;
    },
    get kept() {
      return search.kept;
    },
    get sinceImprovement() {
      return search.sinceImprovement;
    },
  };
  return { space, search: guarded, algorithm, budget, notes };
}
