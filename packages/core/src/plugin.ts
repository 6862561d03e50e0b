import { z } from 'zod';
import { RegimenError } from './errors.js';
import type { Rng } from './rng.js';
import type { StrategyPlugin } from './strategy-plugin.js';
import type { BarColumns, ParamValue } from './types.js';

/**
 * The plugin contract (DESIGN §6). A plugin is a plain object made by a factory; built-ins and
 * third-party packages have exactly this shape and are registered the same way.
 */
export const PLUGIN_API_VERSION = 1;

/**
 * The run's worker threads, lent to a plugin for its own heavy work. A task (any structured-clonable
 * value) goes to the default export of an ES module the plugin ships — the absolute path or file URL
 * of built JavaScript — on a worker; its return value (or promise) comes back.
 */
export interface TaskPool {
  /** worker threads (≥ 1) */
  readonly workers: number;
  run<R = unknown>(module: string, task: unknown): Promise<R>;
}

export interface ClassifierContext {
  /** seed for any random choice of the fit (restarts) */
  seed: number;
  /**
   * Present when the run has worker threads. Optional to use; a fit must give the same model with
   * or without it and whatever the number of workers.
   */
  pool?: TaskPool;
}

/** `F` is what fit returns: the model itself (the default) or a promise of it. */
export interface ClassifierPlugin<O = any, M = any, F extends M | Promise<M> = M> {
  kind: 'classifier';
  name: string;
  /** other names a workflow may use (e.g. `pattern_based`) */
  aliases?: string[];
  apiVersion?: number;
  description?: string;
  options: z.ZodType<O>;
  /** Fit on the training split only, synchronously or not. The model must survive JSON.stringify/parse. */
  fit(train: BarColumns, options: O, ctx: ClassifierContext): F;
  /** The regime names, in label order (label i ↔ names[i]). */
  regimes(model: M, options: O): string[];
  /** Causal per-bar labels: label[t] may use data[0..t] only. NO_REGIME (255) during warm-up. */
  label(data: BarColumns, model: M, options: O): Uint8Array;
  /** Optional per-bar state probabilities (rows of regimes().length), causal like label. */
  probabilities?(data: BarColumns, model: M, options: O): Float64Array[];
  /**
   * Optional: the probabilities of the data's last bar only — exactly `probabilities(data)[n−1]`,
   * without a row per bar (what `regimen signal` shows for the bar it decides).
   */
  lastProbabilities?(data: BarColumns, model: M, options: O): Float64Array;
  /**
   * Optional step hook (`regimen signal`: a call with k new bars does O(k + warm-up) work). Resume
   * the causal labelling from `state` (null: nothing seen yet, `bars` start at bar 0) over the next
   * `bars`: their labels, bit for bit what `label` gives those bars when handed every bar from 0
   * (the same arithmetic in the same order), the probabilities of the last of them (exactly
   * `probabilities(...)[last]`, when the plugin has probabilities), and the state after them. The
   * state is the only memory the next call gets: plain JSON values (objects, arrays, numbers —
   * NaN, ±Infinity and −0 survive, see `encodeStepState` — strings, booleans, null). `label`
   * stays the reference; a plugin without this hook is relabelled over the whole history.
   */
  labelStep?(state: unknown, bars: BarColumns, model: M, options: O): ClassifierStep;
  /** Optional fit diagnostics (log-likelihood, AIC, BIC...). */
  summary?(model: M, options: O): Record<string, unknown>;
}

/** What a classifier's `labelStep` returns for the bars it was given. */
export interface ClassifierStep {
  /** one label per bar given (NO_REGIME during warm-up) */
  labels: Uint8Array;
  /** the probabilities of the last bar given, when the plugin has probabilities */
  probabilities?: Float64Array;
  /** the state after the last bar given */
  state: unknown;
}

export type Candidate = Record<string, ParamValue>;

/** A dimension of a search space, after parsing the config. */
export type Dimension =
  | { name: string; kind: 'values'; values: ParamValue[] }
  /** `log`: every integer of [min, max] is a grid point, but samplers draw them log-uniformly (min ≥ 1, step 1) */
  | { name: string; kind: 'int'; min: number; max: number; step: number; log?: boolean }
  | { name: string; kind: 'float'; min: number; max: number; step?: number; count?: number; log?: boolean };

export interface SearchSpace {
  dimensions: Dimension[];
  /** predicates over a candidate; a candidate failing any is never asked */
  constraints: Array<(c: Candidate) => boolean>;
  /** when set, candidates are weight vectors on the simplex: each ≥ min_weight, summing to 1 */
  simplex?: { min_weight: number };
}

export interface Evaluated {
  candidate: Candidate;
  /** higher is better; NaN for a failed evaluation */
  score: number;
  /**
   * The trial's score in every regime of every classifier (`regimes[classifier][regime]`), by the
   * regime analysis' objective with its filters (min_bars, min_trades): NaN where the regime does
   * not rank the trial. Phase 1 fills it in so a search (and the budget's patience) can serve
   * every regime at once; an optimizer may ignore it.
   */
  regimes?: Record<string, Record<string, number>>;
}

export interface Search {
  /** up to n new candidates; fewer (or none) when the search is exhausted */
  ask(n: number): Candidate[];
  tell(results: Evaluated[]): void;
  readonly done: boolean;
  /** how many evaluations the search expects to need, if it can tell (for --dry-run) */
  estimate(): number | undefined;
}

export interface OptimizerPlugin<O = any> {
  kind: 'optimizer';
  name: string;
  aliases?: string[];
  apiVersion?: number;
  description?: string;
  options: z.ZodType<O>;
  create(space: SearchSpace, options: O, rng: Rng): Search;
}

export type Plugin = ClassifierPlugin | OptimizerPlugin | StrategyPlugin;

export interface PluginRegistry {
  register(plugin: unknown, source?: string): Plugin;
  classifier(name: string): ClassifierPlugin;
  optimizer(name: string): OptimizerPlugin;
  strategy(name: string): StrategyPlugin;
  list(): Array<{ plugin: Plugin; source: string }>;
}

const PluginShape = z.object({
  kind: z.enum(['classifier', 'optimizer', 'strategy']),
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'a plugin name is letters, digits, _ . -'),
  aliases: z.array(z.string()).optional(),
  apiVersion: z.number().int().optional(),
});
const HOOKS: Record<Plugin['kind'], string[]> = {
  classifier: ['fit', 'regimes', 'label'],
  optimizer: ['create'],
  strategy: ['warmup', 'positions'],
};
/** the zod schema a plugin's settings are parsed with: a strategy's parameters, the others' options */
const SCHEMA_FIELD = { classifier: 'options', optimizer: 'options', strategy: 'params' } as const;

/** The schema of a plugin's options (classifier, optimizer) or parameters (strategy). */
export function pluginSchema(plugin: Plugin): z.ZodType {
  return plugin.kind === 'strategy' ? plugin.params : plugin.options;
}

/** Validate a plugin's shape with one clear error naming it. */
export function assertPlugin(value: unknown, source: string): Plugin {
  const name = (value as { name?: unknown } | null)?.name;
  const label = typeof name === 'string' ? `plugin "${name}" (${source})` : `plugin from ${source}`;
  const r = PluginShape.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new RegimenError({ code: 'plugin', field: issue.path.join('.') || undefined, message: `${label}: ${issue.message}` });
  }
  const p = value as Plugin;
  const field = SCHEMA_FIELD[p.kind];
  if (!((p as unknown as Record<string, unknown>)[field] instanceof z.ZodType)) {
    throw new RegimenError({ code: 'plugin', field, message: `${label}: ${field} must be a zod schema` });
  }
  if (p.apiVersion !== undefined && p.apiVersion !== PLUGIN_API_VERSION) {
    throw new RegimenError({ code: 'plugin', message: `${label} targets plugin API ${p.apiVersion}; this Regimen speaks ${PLUGIN_API_VERSION}` });
  }
  for (const hook of HOOKS[p.kind]) {
    if (typeof (p as unknown as Record<string, unknown>)[hook] !== 'function') {
      throw new RegimenError({ code: 'plugin', field: hook, message: `${label}: a ${p.kind} plugin needs a function "${hook}"` });
    }
  }
  if (p.kind === 'strategy') assertStrategyWasm(p, label);
  return p;
}

/** A strategy's optional `wasm` part: a module location and an `args` function. */
function assertStrategyWasm(p: StrategyPlugin, label: string): void {
  if (p.wasm === undefined) return;
  const w = p.wasm as unknown as Record<string, unknown> | null;
  const problem =
    w === null || typeof w !== 'object' ? 'wasm must be an object { module, args }'
    : typeof w.module !== 'string' && !(w.module instanceof URL) ? 'wasm.module must be a URL or a path of the .wasm file'
    : typeof w.args !== 'function' ? 'wasm needs a function "args" (the parameters as f64 values)'
    : w.scratchBytes !== undefined && typeof w.scratchBytes !== 'function' ? 'wasm.scratchBytes must be a function'
    : undefined;
  if (problem) throw new RegimenError({ code: 'plugin', field: 'wasm', message: `${label}: ${problem}` });
}

/** Validate a plugin's options with its own schema; errors name the plugin and the option. */
export function parsePluginOptions<O>(plugin: Plugin, options: unknown, where = ''): O {
  const r = pluginSchema(plugin).safeParse(options ?? {});
  if (r.success) return r.data as O;
  const issue = r.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  const value = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), options);
  throw new RegimenError({
    code: 'plugin',
    field: [where, field].filter(Boolean).join('.') || undefined,
    value,
    message: `plugin "${plugin.name}": ${issue.message}`,
  });
}

export function createRegistry(): PluginRegistry {
  const byName = new Map<string, { plugin: Plugin; source: string }>();
  const key = (kind: string, name: string) => `${kind}:${name.toLowerCase()}`;
  const find = <K extends Plugin['kind']>(kind: K, name: string) => {
    const hit = byName.get(key(kind, name));
    if (!hit) {
      // a plugin of the other kind under that name is a clearer answer than "unknown"
      const other = [...byName.entries()].find(([k]) => k.endsWith(`:${name.toLowerCase()}`))?.[1];
      if (other) throw new RegimenError({ code: 'plugin', value: name, message: `"${name}" is ${other.plugin.kind === 'optimizer' ? 'an' : 'a'} ${other.plugin.kind} plugin (${other.source}), not ${kind === 'optimizer' ? 'an' : 'a'} ${kind}` });
      const known = [...new Set([...byName.values()].filter((e) => e.plugin.kind === kind).map((e) => e.plugin.name))].sort();
      throw new RegimenError({ code: 'plugin', value: name, message: `unknown ${kind} "${name}" (registered: ${known.join(', ') || 'none'})` });
    }
    return hit.plugin as Extract<Plugin, { kind: K }>;
  };
  return {
    register(value, source = 'built-in') {
      const p = assertPlugin(value, source);
      for (const n of [p.name, ...(p.aliases ?? [])]) {
        const prev = byName.get(key(p.kind, n));
        if (prev && prev.plugin !== p) {
          throw new RegimenError({ code: 'plugin', message: `${p.kind} plugin name "${n}" from ${source} is already registered by ${prev.source}` });
        }
        byName.set(key(p.kind, n), { plugin: p, source });
      }
      return p;
    },
    classifier: (name) => find('classifier', name),
    optimizer: (name) => find('optimizer', name),
    strategy: (name) => find('strategy', name),
    // one entry per plugin, though aliases give it several keys
    list: () => [...new Map([...byName.values()].map((e) => [e.plugin, e] as const)).values()].sort((a, b) => (a.plugin.kind + a.plugin.name).localeCompare(b.plugin.kind + b.plugin.name)),
  };
}
