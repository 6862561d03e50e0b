import type { ScaffoldNames } from './names.js';

/**
 * src/index.js of a new classifier package. Plain ESM JavaScript with JSDoc types on purpose:
 * Node 20 cannot import TypeScript without a loader, and a workflow loads a plugin by path
 * (`plugins: [./my-plugin]`) straight from its source, so the package must run without a build.
 * `tsc -p tsconfig.json` still type-checks it against @regimen/core's declarations (checkJs).
 */
export function classifierSource(n: ScaffoldNames): string {
  return `import { z } from 'zod';
import { NO_REGIME, PLUGIN_API_VERSION } from '@regimen/core';

/**
 * Options, validated by the host with this schema before any hook sees them. Every option needs a
 * default so that \`{}\` is valid, and .strict() makes a misspelt option an error, not a silent default.
 */
export const optionsSchema = z
  .object({
    /** trailing window (bars) of the volatility estimate */
    window: z.number().int().min(2).max(10_000).default(20),
  })
  .strict();

/** @typedef {z.output<typeof optionsSchema>} Options */
/** @typedef {{ kind: '${n.plugin}', version: 1, window: number, threshold: number }} Model */

/**
 * Sample standard deviation of the last \`window\` log returns, at every bar: out[t] uses closes
 * t − window … t only (causal). NaN until bar \`window\`, the first with \`window\` returns.
 * Recomputed per bar rather than with running sums: running sums of r² lose digits by cancellation.
 * @param {Float64Array} close
 * @param {number} window
 * @returns {Float64Array}
 */
export function rollingVol(close, window) {
  const out = new Float64Array(close.length).fill(NaN);
  for (let t = window; t < close.length; t++) {
    let mean = 0;
    for (let i = t - window + 1; i <= t; i++) mean += Math.log(close[i] / close[i - 1]);
    mean /= window;
    let ss = 0;
    for (let i = t - window + 1; i <= t; i++) ss += (Math.log(close[i] / close[i - 1]) - mean) ** 2;
    out[t] = Math.sqrt(ss / (window - 1));
  }
  return out;
}

/**
 * ${n.plugin}: high_vol when the trailing volatility is above its median over the training bars,
 * low_vol otherwise; NO_REGIME (255) while the window fills. Edit fit() and label() to make it yours —
 * keep label() causal (label[t] from bars 0..t only) and the model plain JSON.
 * @returns {import('@regimen/core').ClassifierPlugin<Options, Model>}
 */
export function ${n.factory}() {
  return {
    kind: 'classifier',
    name: '${n.plugin}',
    apiVersion: PLUGIN_API_VERSION,
    description: 'high_vol / low_vol: trailing volatility of log returns vs its training median',
    options: optionsSchema,
    // fit sees the training split only; the model is what a workflow saves (JSON) and labels with
    fit(train, options) {
      const vols = Array.from(rollingVol(train.close, options.window)).filter(Number.isFinite).sort((a, b) => a - b);
      if (vols.length === 0) throw new Error(\`needs more than \${options.window} training bars, got \${train.close.length}\`);
      const mid = vols.length >> 1;
      const threshold = vols.length % 2 === 1 ? vols[mid] : (vols[mid - 1] + vols[mid]) / 2;
      return { kind: '${n.plugin}', version: 1, window: options.window, threshold };
    },
    // label i ↔ regimes()[i]
    regimes: () => ['high_vol', 'low_vol'],
    label(data, model) {
      const vol = rollingVol(data.close, model.window);
      const labels = new Uint8Array(vol.length).fill(NO_REGIME);
      for (let t = 0; t < vol.length; t++) {
        if (Number.isFinite(vol[t])) labels[t] = vol[t] > model.threshold ? 0 : 1;
      }
      return labels;
    },
    // optional: shown by \`regimen classify --json\` and saved in metadata/classifiers/<name>.json
    summary: (model) => ({ threshold: model.threshold, window: model.window }),
  };
}

export default ${n.factory}();
`;
}
