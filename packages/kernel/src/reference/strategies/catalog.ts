import { issuePath, regimenError, type Params, type Side, type StrategyPlugin } from '@regimen/core';
import type { z } from 'zod';
import { sideParam, type StrategyDefinition } from './definition.js';
import { pluginDefinition } from '../../strategy-plugins/definition.js';
import { usedStrategyNames, usedStrategyPlugin } from '../../strategy-plugins/table.js';
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

/** Every strategy type this thread can run: the built-ins, then the strategy plugins in use. */
export function knownStrategyTypes(): string[] {
  return [...strategyTypes(), ...usedStrategyNames()];
}

function unknownType(type: string): Error {
  return regimenError({
    code: 'config',
    field: 'type',
    value: type,
    message: `unknown strategy type (known: ${knownStrategyTypes().join(', ')})`,
  });
}

/** The definition of `type` (a built-in, or a strategy plugin in use), or a config error naming the known ones. */
export function strategyDefinition(type: string): StrategyDefinition<StrategyParams> {
  if (isStrategyType(type)) return strategyCatalog[type] as unknown as StrategyDefinition<StrategyParams>;
  const plugin = usedStrategyPlugin(type);
  if (!plugin) throw unknownType(type);
  return pluginDefinition(plugin);
}

/** The strategy plugin behind a type that is not built in (its hot path is not the kernel's own). */
export function strategyPluginOf(type: string): StrategyPlugin {
  const plugin = isStrategyType(type) ? undefined : usedStrategyPlugin(type);
  if (!plugin) throw unknownType(type);
  return plugin;
}

/**
 * Validate `params` for `type` (strict: an unknown key is an error, so a typo never silently
 * falls back to a default). Throws regimenError({code: 'config', field: 'params.<name>', value}).
 * A strategy's schema describes its own parameters; `side` is the host's and parsed here.
 */
export function parseStrategyParams(type: string, params: Params | Record<string, unknown> | undefined): StrategyParams {
  return parseParamsWith(type, strategyDefinition(type).params, params);
}

/** A strategy plugin's parameters as the host parses them for a trial: its own schema, and `side`. */
export function parseStrategyPluginParams(plugin: StrategyPlugin, params: Params | Record<string, unknown> | undefined): StrategyParams {
  return parseParamsWith(plugin.name, plugin.params, params);
}

function parseParamsWith(type: string, own: z.ZodType, params: Params | Record<string, unknown> | undefined): StrategyParams {
  const input = (params ?? {}) as Record<string, unknown>;
  const { side, ...rest } = input;
  const s = parsed(type, sideParam, side, input, ['side']);
  return { ...(parsed(type, own, rest, input) as object), side: s } as StrategyParams;
}

function parsed<T>(type: string, schema: z.ZodType<T>, value: unknown, input: Record<string, unknown>, at: PropertyKey[] = []): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  // an unrecognized key is reported by zod on the object itself; name the key instead
  const keys = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys : [];
  const path = [...at, ...issue.path, ...(keys.length > 0 ? [keys[0]!] : [])];
  const name = issuePath(path);
  throw regimenError({
    code: 'config',
    field: name ? `params.${name}` : 'params',
    value: path.length === 1 ? input[String(path[0])] : undefined,
    message: `${type}: ${issue.message}`,
  });
}
