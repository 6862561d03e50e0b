import { issuePath, regimenError, type Params, type Side } from '@regimen/core';
import type { StrategyDefinition } from './definition.js';
import { momentumStrategy } from './momentum.js';
import { meanReversionStrategy } from './mean-reversion.js';
import { smaCrossoverStrategy } from './sma-crossover.js';
import { breakoutStrategy } from './breakout.js';
import { rsiStrategy } from './rsi-reversal.js';

/** The built-in strategy types, keyed by the `type` a workflow names. */
export const strategyCatalog = {
  momentum: momentumStrategy,
  mean_reversion: meanReversionStrategy,
  sma_crossover: smaCrossoverStrategy,
  breakout: breakoutStrategy,
  rsi: rsiStrategy,
} as const;

export type StrategyType = keyof typeof strategyCatalog;

/** Parsed parameters: every schema default applied, numbers coerced, `side` always present. */
export type StrategyParams = { side: Side } & Record<string, number | string | boolean>;

export function strategyTypes(): StrategyType[] {
  return Object.keys(strategyCatalog) as StrategyType[];
}

export function isStrategyType(type: string): type is StrategyType {
  return Object.prototype.hasOwnProperty.call(strategyCatalog, type);
}

/** The definition of `type`, or a config error naming the type and the known ones. */
export function strategyDefinition(type: string): StrategyDefinition<StrategyParams> {
  if (!isStrategyType(type)) {
    throw regimenError({
      code: 'config',
      field: 'type',
      value: type,
      message: `unknown strategy type (known: ${strategyTypes().join(', ')})`,
    });
  }
  return strategyCatalog[type] as unknown as StrategyDefinition<StrategyParams>;
}

/**
 * Validate `params` for `type` (strict: an unknown key is an error, so a typo never silently
 * falls back to a default). Throws regimenError({code: 'config', field: 'params.<name>', value}).
 */
export function parseStrategyParams(type: string, params: Params | Record<string, unknown> | undefined): StrategyParams {
  const def = strategyDefinition(type);
  const input = params ?? {};
  const r = def.params.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  // an unrecognized key is reported by zod on the object itself; name the key instead
  const keys = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys : [];
  const path = keys.length > 0 ? [...issue.path, keys[0]!] : issue.path;
  const name = issuePath(path);
  const value = path.length === 1 ? (input as Record<string, unknown>)[String(path[0])] : undefined;
  throw regimenError({
    code: 'config',
    field: name ? `params.${name}` : 'params',
    value,
    message: `${type}: ${issue.message}`,
  });
}
