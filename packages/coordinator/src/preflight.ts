import { createRng, isRegimenError, parsePluginOptions, regimenError, type PluginRegistry, type ResolvedConfig } from '@regimen/core';
import { compileObjective, weightSpace, type Objective } from '@regimen/optimizer';
import { makeTrial } from './trials.js';
import { phaseBudget, strategySearch } from './search.js';

/**
 * Check everything in a config that can be checked without running anything — plugins and their
 * options, objectives, spaces and constraints, the first parameter set of every strategy — before
 * a workspace is touched: bad input costs nothing and leaves nothing behind.
 */
export function preflight(config: ResolvedConfig, registry: PluginRegistry, configPath: string): void {
  try {
    checkConfig(config, registry, configPath);
  } catch (e) {
    // every config error names the workflow file, also those raised where the file is not known
    if (isRegimenError(e) && e.file === undefined && e.code === 'config') throw regimenError({ code: e.code, file: configPath, field: e.field, value: e.value, message: e.message, cause: e });
    throw e;
  }
}

function checkConfig(config: ResolvedConfig, registry: PluginRegistry, configPath: string): void {
  const at = (phase: string, key: string) => `workflow.phases.${phase}.config.${key}`;
  for (const c of config.classifiers) {
    const plugin = registry.classifier(c.plugin);
    parsePluginOptions(plugin, c.options, `workflow.classifiers.${c.name}.options`);
  }
  const p1 = config.parameter_discovery;
  parsePluginOptions(registry.optimizer(p1.algorithm), p1.algorithm_options, at('parameter_discovery', 'algorithm_options'));
  const pe = config.ensemble_optimization;
  parsePluginOptions(registry.optimizer(pe.algorithm), pe.algorithm_options, at('ensemble_optimization', 'algorithm_options'));
  compileObjective(p1.objective, at('parameter_discovery', 'objective'));
  rankable(compileObjective(config.regime_analysis.objective, at('regime_analysis', 'objective')), at('regime_analysis', 'objective'), configPath);
  // each objective of a Pareto front must score a regime's metrics (an unknown metric cannot)
  config.regime_analysis.pareto?.objectives.forEach((o, i) => compileObjective(o, at('regime_analysis', `objectives[${i}]`)));
  phaseBudget(config, 'parameter_discovery', configPath);
  phaseBudget(config, 'ensemble_optimization', configPath);
  for (const m of config.regime_analysis.metrics) compileObjective(m, at('regime_analysis', 'metrics'));
  rankable(compileObjective(pe.objective, at('ensemble_optimization', 'objective')), at('ensemble_optimization', 'objective'), configPath);
  weightSpace(config.strategies.map((s) => s.name), { values: pe.weight_space as never, sum_to_one: pe.sum_to_one, min_weight: pe.min_weight, where: at('ensemble_optimization', 'weight_space') });
  for (const s of config.strategies) {
    const where = `workflow.strategies.${s.name}`;
    strategyOf(registry, s.type, `${where}.type`, configPath);
    // the search phase 1 will make (budget, algorithm, sampler), and its first parameter set
    const { search } = strategySearch(config, registry, s, createRng(config.seed), configPath);
    const first = search.ask(1);
    if (first.length) makeTrial(s, first[0]!, configPath);
  }
  if (config.strategies.length === 0) throw regimenError({ code: 'config', file: configPath, field: 'workflow.strategies', message: 'no strategies' });
}

/**
 * An objective of the bars alone gives every candidate of a regime the same score (they share its
 * bars): the run would pick by id and its PBO would measure nothing — refused.
 */
function rankable(objective: Objective, field: string, configPath: string): void {
  if (objective.uses && objective.uses.every((m) => m === 'bars')) {
    throw regimenError({ code: 'config', file: configPath, field, value: objective.name, message: 'an objective of the bars alone scores every trial and weight set of a regime the same (they share its bars): nothing to select and no PBO to measure; name a metric of returns' });
  }
}

/** The registered strategy (built-in or plugin) a strategy's type names, or one line saying which exist. */
function strategyOf(registry: PluginRegistry, type: string, field: string, configPath: string) {
  try {
    return registry.strategy(type);
  } catch (e) {
    throw regimenError({ code: 'config', file: configPath, field, value: type, message: (e as Error).message.replace(/^unknown strategy "[^"]*"/, 'unknown strategy type'), cause: e });
  }
}
