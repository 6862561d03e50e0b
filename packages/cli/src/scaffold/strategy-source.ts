import type { ScaffoldNames } from './names.js';
import { developSection, regimenPackagesSection } from './package-files.js';
import type { Vendored } from './vendor.js';

/**
 * The files of a new strategy package. src/index.js is plain ESM JavaScript with JSDoc types for
 * the same reason as a classifier's (a workflow loads it by path, without a build); with --wasm,
 * assembly/index.ts is the same rule in AssemblyScript, compiled to build/<name>.wasm by
 * `npm run build`, and src/index.js points the plugin's `wasm` at it with the JavaScript as its reference.
 */
/** the exported positions function: trendBandStrategy → trendBandPositions */
const positionsName = (n: ScaffoldNames) => n.factory.replace(/Strategy$/, 'Positions');

export function strategySource(n: ScaffoldNames, wasm: boolean): string {
  const wasmPart = wasm
    ? `
    // the same rule in AssemblyScript (assembly/index.ts), built by \`npm run build\`; the engine runs
    // it for trials, and Regimen's kit checks it equals positions() below bit for bit
    wasm: {
      module: new URL('../build/${n.plugin}.wasm', import.meta.url),
      args: (p) => [p.window, p.band],
    },`
    : '';
  return `import { z } from 'zod';
import { PLUGIN_API_VERSION } from '@regimen/core';

/**
 * Parameters, validated by the host with this schema; the search space of a workflow names them.
 * Every parameter needs a default so that \`{}\` is valid, and .strict() makes a misspelt one an
 * error. Do not declare \`side\`: the host adds it and maps short positions to flat for long_only.
 */
export const paramsSchema = z
  .object({
    /** bars in the moving average */
    window: z.number().int().min(1).max(100_000).default(20),
    /** how far beyond the average the close must be, as a fraction of it */
    band: z.number().min(0).max(0.5).default(0.01),
  })
  .strict();

/** @typedef {z.output<typeof paramsSchema>} Params */

/**
 * ${n.plugin}: long while the close is more than \`band\` above its \`window\`-bar simple moving
 * average, short while more than \`band\` below, flat in between; 0 until the average exists.
 * out[t] uses closes 0..t only (causal). The average is a running sum in a fixed order —
 * x[0] + … + x[w−1], then (s + x[t]) − x[t−w] — the order assembly/index.ts repeats.
 * @param {import('@regimen/core').BarColumns} bars
 * @param {Params} p
 * @param {Float64Array} out one zeroed position per bar, filled here
 */
export function ${positionsName(n)}(bars, p, out) {
  const close = bars.close;
  const n = close.length;
  if (p.window > n) return;
  let s = 0;
  for (let i = 0; i < p.window; i++) s += close[i];
  for (let t = p.window - 1; t < n; t++) {
    if (t >= p.window) s = s + close[t] - close[t - p.window];
    const avg = s / p.window;
    out[t] = close[t] > avg * (1 + p.band) ? 1 : close[t] < avg * (1 - p.band) ? -1 : 0;
  }
}

/**
 * The plugin: edit the schema, warmup() and positions() to make the rule yours. Keep positions()
 * causal (bar t decides from bars 0..t), in [−1, 1], and 0 before warmup(params).
 * @returns {import('@regimen/core').StrategyPlugin<Params>}
 */
export function ${n.factory}() {
  return {
    kind: 'strategy',
    name: '${n.plugin}',
    apiVersion: PLUGIN_API_VERSION,
    description: 'long above the moving average + band, short below it − band',
    params: paramsSchema,
    // the first bar whose position may be non-zero
    warmup: (p) => p.window - 1,
    positions: ${positionsName(n)},${wasmPart}
  };
}

export default ${n.factory}();
`;
}

/** assembly/index.ts: the rule of src/index.js in AssemblyScript, over the host's memory. */
export function assemblySource(n: ScaffoldNames): string {
  return `// ${n.plugin} in AssemblyScript: the rule of src/index.js, in the same order of operations, so
// every position is the same bits (Regimen's kit checks it). The engine passes byte offsets into a
// memory it shares with other threads: read the columns and args, write out[] (zeroed) and, if
// you need room, the scratch (declare its size with wasm.scratchBytes). Never allocate (no arrays,
// strings or classes) and keep no state between calls: build with --runtime stub, and the host
// refuses a module with static data or mutable globals.
//   s = x[0] + … + x[w−1], then s = (s + x[t]) − x[t−w];  avg = s / w
//   out[t] = +1 if x[t] > avg·(1 + band), −1 if x[t] < avg·(1 − band), else 0, for t ≥ w − 1

// @ts-ignore: decorator
@inline function at(p: usize, t: i32): usize { return p + (<usize>t << 3); }

export function positions(time: usize, open: usize, high: usize, low: usize, close: usize, volume: usize,
  bars: i32, args: usize, out: usize, scratch: usize): void {
  const window: i32 = <i32>load<f64>(args);
  const band: f64 = load<f64>(args, 8);
  if (window > bars) return;
  const w: f64 = <f64>window;
  let s: f64 = 0;
  for (let i: i32 = 0; i < window; i++) s += load<f64>(at(close, i));
  for (let t: i32 = window - 1; t < bars; t++) {
    if (t >= window) s = s + load<f64>(at(close, t)) - load<f64>(at(close, t - window));
    const avg: f64 = s / w;
    const c: f64 = load<f64>(at(close, t));
    store<f64>(at(out, t), c > avg * (1 + band) ? 1.0 : c < avg * (1 - band) ? -1.0 : 0.0);
  }
}
`;
}

/** assembly/tsconfig.json: AssemblyScript's types for editors (asc itself needs no tsconfig). */
export const assemblyTsconfig = JSON.stringify({ extends: 'assemblyscript/std/assembly.json', include: ['./**/*.ts'] }, null, 2) + '\n';

/** The flags that make a module share the engine's memory (docs/plugins.md explains each). */
export const ASC_FLAGS = '-O3 --noAssert --runtime stub --enable threads --importMemory --sharedMemory --initialMemory 1 --maximumMemory 65536';

export function strategyTestSource(n: ScaffoldNames): string {
  const fn = positionsName(n);
  return `import { describe, expect, it } from 'vitest';
import { strategyConformance, strategyParams, strategyPositions, syntheticBars } from '@regimen/plugin-testkit';
import plugin, { ${fn} } from './index.js';

// Regimen's conformance checks: shape, parameters, positions in range and 0 during warm-up,
// causality on data cut at random points and at every position change, determinism, and (with
// a WebAssembly build) WebAssembly = JavaScript bit for bit.
strategyConformance(plugin, { data: syntheticBars(3000, 1), params: [{}, { window: 5, band: 0 }, { window: 60, band: 0.03 }] });

describe('${n.plugin}', () => {
  it('by hand: a 2-bar average of 1, 2, 3, 2, 1 with no band', () => {
    // averages from bar 1: 1.5, 2.5, 2.5, 1.5 — the close is above, above, below, below
    const close = Float64Array.from([1, 2, 3, 2, 1]);
    const out = new Float64Array(5);
    ${fn}({ time: close, open: close, high: close, low: close, close }, { window: 2, band: 0 }, out);
    expect(Array.from(out)).toEqual([0, 1, 1, -1, -1]);
  });

  it('stays flat inside the band, and long_only maps shorts to flat', () => {
    const bars = syntheticBars(500, 2);
    const wide = strategyPositions(plugin, bars, strategyParams(plugin, { band: 0.5, side: 'long_short' }));
    expect(wide.every((p) => p === 0)).toBe(true);
    const both = strategyPositions(plugin, bars, strategyParams(plugin, { side: 'long_short' }));
    const long = strategyPositions(plugin, bars, strategyParams(plugin, {}));
    expect(both.some((p) => p < 0)).toBe(true);
    expect(Array.from(long)).toEqual(Array.from(both, (p) => (p < 0 ? 0 : p)));
  });
});
`;
}

export function strategyReadme(n: ScaffoldNames, wasm: boolean, vendored: Vendored): string {
  return `# ${n.pkg}

A strategy plugin for Regimen, named \`${n.plugin}\`.
As generated it is long while the close is more than \`band\` above its \`window\`-bar moving
average, short while more than \`band\` below, and flat in between. Edit \`src/index.js\`${wasm ? ' (and\n`assembly/index.ts`, the same rule in AssemblyScript)' : ''} to make it yours.

## Parameters

| parameter | default | meaning |
| --- | --- | --- |
| \`window\` | \`20\` | bars in the moving average |
| \`band\` | \`0.01\` | how far beyond the average the close must be, as a fraction of it |

\`side\` (\`long_only\`, the default, or \`long_short\`) is Regimen's: long_only maps short positions to flat.

${developSection(`${wasm ? `builds build/${n.plugin}.wasm, then ` : ''}Regimen's conformance kit + this plugin's own tests`)}${wasm ? `
\`npm run build\` compiles \`assembly/index.ts\` with AssemblyScript (\`asc\`) into \`build/${n.plugin}.wasm\`.
The engine runs the WebAssembly for trials, inside a memory shared by every worker thread; the
JavaScript \`positions()\` is its reference, and the kit checks the two agree bit for bit.
` : ''}
## Use

In a workflow, by path (relative to the workflow file) or, once installed, by package name:

\`\`\`yaml
workflow:
  strategies:
    trend: { plugin: ./${n.plugin}, side: long_short, parameter_space: { window: [20, 50, 100], band: [0, 0.01] } }
    # or: { plugin: ${n.pkg}, ... }
\`\`\`

On its own: \`npx regimen backtest --load ./${n.plugin} --strategy ${n.plugin} --param window=50 --data prices.csv\`.

${regimenPackagesSection(vendored)}## Publish

\`npm test && npm publish\`, after switching to published names (above). The rules a strategy must keep (causal positions in [−1, 1], 0 during
warm-up, parameters with defaults, \`apiVersion\`${wasm ? ', WebAssembly equal to its reference' : ''}) are in Regimen's \`docs/plugins.md\`.
`;
}
