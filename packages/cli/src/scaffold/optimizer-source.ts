import type { ScaffoldNames } from './names.js';
import { developSection, regimenPackagesSection, useSection } from './package-files.js';
import type { Vendored } from './vendor.js';

/**
 * The files of a new optimizer package (ask/tell, DESIGN §6): a seeded random search, short enough
 * to read at once and complete enough to use — every point of a finite space at most once, in a
 * seeded order, until `trials` or the space runs out; random draws on a continuous range. Plain
 * ESM JavaScript with JSDoc types, like the other scaffolds (a workflow loads it by path).
 */
export function optimizerSource(n: ScaffoldNames): string {
  return `import { z } from 'zod';
import { admitCandidate, candidateKey, dimensionSize, dimensionValue, gridSize, isContinuous, PLUGIN_API_VERSION } from '@regimen/core';

/**
 * Options, validated by the host with this schema (a workflow's \`algorithm_options\`). Every option
 * needs a default so that \`{}\` is valid, and .strict() makes a misspelt one an error.
 */
export const optionsSchema = z
  .object({
    /** candidates to evaluate at most */
    trials: z.number().int().min(1).default(100),
    /** on a space with a continuous range: consecutive draws that are repeats or fail a constraint before it stops */
    max_misses: z.number().int().min(1).default(1000),
  })
  .strict();

/** @typedef {z.output<typeof optionsSchema>} Options */
/** @typedef {import('@regimen/core').SearchSpace} SearchSpace */
/** @typedef {import('@regimen/core').Candidate} Candidate */
/** @typedef {import('@regimen/core').Rng} Rng */

/**
 * Indices 0..size−1 in a seeded random order, one at a time: Fisher–Yates run lazily, with the
 * swapped entries in a Map, so a 10⁹-point grid costs memory only for the indices drawn.
 * @param {number} size
 * @param {Rng} rng
 */
export function* shuffledIndices(size, rng) {
  /** @type {Map<number, number>} */
  const moved = new Map();
  const at = (/** @type {number} */ k) => moved.get(k) ?? k;
  for (let i = 0; i < size; i++) {
    const j = rng.int(i, size - 1);
    const pick = at(j);
    moved.set(j, at(i));
    moved.delete(i);
    yield pick;
  }
}

/**
 * One random point of the space: a grid value per discrete dimension, a uniform (log-uniform when
 * \`log\`) value on a continuous range. Not yet checked against the constraints.
 * @param {SearchSpace} space
 * @param {Rng} rng
 * @returns {Candidate}
 */
function randomPoint(space, rng) {
  /** @type {Candidate} */
  const c = {};
  for (const d of space.dimensions) {
    if (d.kind === 'float' && isContinuous(d)) {
      const u = rng.next();
      c[d.name] = d.log ? Math.exp(Math.log(d.min) + u * (Math.log(d.max) - Math.log(d.min))) : d.min + u * (d.max - d.min);
    } else c[d.name] = dimensionValue(d, rng.int(0, dimensionSize(d) - 1));
  }
  return c;
}

/**
 * Random search driven by ask/tell. A finite space is visited in a seeded random order of its grid
 * indices, so no point is asked twice and the search is done once every admissible point has been
 * asked; a space with a continuous range is sampled at random, repeats skipped. Failed trials are
 * told with score NaN: they count as evaluated and never become the best.
 * @param {SearchSpace} space
 * @param {Options} options
 * @param {Rng} rng every random choice comes from it, so a seed fixes the run
 * @returns {import('@regimen/core').Search & { readonly best: import('@regimen/core').Evaluated | undefined }}
 */
export function createRandomSearch(space, options, rng) {
  const size = gridSize(space);
  const indices = Number.isFinite(size) ? shuffledIndices(size, rng.fork('order')) : undefined;
  const draws = rng.fork('draws');
  const seen = new Set();
  let asked = 0;
  let exhausted = false;
  /** @type {import('@regimen/core').Evaluated | undefined} */
  let best;

  /** the next admissible candidate not asked before, or undefined when there is none */
  const next = () => {
    for (let misses = 0; !exhausted; ) {
      /** @type {Candidate} */
      let point;
      if (indices) {
        const i = indices.next();
        if (i.done) break;
        // mixed-radix decode, last dimension fastest (the grid order of Regimen's grid search)
        point = {};
        let rest = i.value;
        for (let j = space.dimensions.length - 1; j >= 0; j--) {
          const d = space.dimensions[j];
          const k = dimensionSize(d);
          point[d.name] = dimensionValue(d, rest % k);
          rest = Math.floor(rest / k);
        }
      } else {
        if (misses >= options.max_misses) break;
        point = randomPoint(space, draws);
      }
      // weights are normalised onto the simplex here, so two grid points may give one candidate
      const c = admitCandidate(space, point);
      const key = c && candidateKey(c);
      if (c && !seen.has(key)) {
        seen.add(key);
        return c;
      }
      misses++;
    }
    exhausted = true;
    return undefined;
  };
  /** @type {Candidate | undefined} */
  let pending;
  const peek = () => (asked >= options.trials ? undefined : (pending ??= next()));

  return {
    ask(n) {
      /** @type {Candidate[]} */
      const out = [];
      while (out.length < n) {
        const c = peek();
        if (!c) break;
        out.push(c);
        pending = undefined;
        asked++;
      }
      return out;
    },
    tell(results) {
      for (const r of results) if (!Number.isNaN(r.score) && (best === undefined || r.score > best.score)) best = r;
    },
    get done() {
      return peek() === undefined;
    },
    estimate: () => Math.min(options.trials, size),
    get best() {
      return best;
    },
  };
}

/** @returns {import('@regimen/core').OptimizerPlugin<Options>} */
export function ${n.factory}() {
  return {
    kind: 'optimizer',
    name: '${n.plugin}',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Random search: up to \`trials\` candidates, each at most once, in a seeded order.',
    options: optionsSchema,
    create: (space, options, rng) => createRandomSearch(space, options, rng),
  };
}

export default ${n.factory}();
`;
}

export function optimizerTestSource(n: ScaffoldNames): string {
  return `import { describe, expect, it } from 'vitest';
import { candidateKey, createRng } from '@regimen/core';
import { admissiblePoints, drainSearch, OPTIMIZER_SPACES, optimizerConformance } from '@regimen/plugin-testkit';
import plugin, { shuffledIndices } from './index.js';

// Regimen's conformance checks: asks inside the space and its constraints, each once; same seed,
// same asks; failed trials (NaN) handled; done when the space is exhausted.
optimizerConformance(plugin);
optimizerConformance(plugin, { options: { trials: 10 }, seed: 3, batch: 4 });

describe('${n.plugin}', () => {
  it('shuffles 0..n−1: every index once', () => {
    const order = [...shuffledIndices(1000, createRng(5))];
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(order.slice(0, 10)).not.toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('asks every admissible point of a finite space exactly once when trials allow', () => {
    const space = OPTIMIZER_SPACES.discrete.space;
    const asked = drainSearch(plugin, space(), { trials: 1000 }).asks.flat().map(candidateKey);
    expect(asked.sort()).toEqual(admissiblePoints(space()).map(candidateKey).sort());
  });

  it('stops at trials, and a seed fixes the order', () => {
    const space = OPTIMIZER_SPACES.discrete.space;
    const run = (/** @type {number} */ seed) => drainSearch(plugin, space(), { trials: 12 }, { seed }).asks.flat().map(candidateKey);
    expect(run(1)).toHaveLength(12);
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });
});
`;
}

export function optimizerReadme(n: ScaffoldNames, vendored: Vendored): string {
  return `# ${n.pkg}

An optimizer plugin for Regimen, named \`${n.plugin}\` (ask/tell).
As generated it is a random search: up to \`trials\` candidates, each asked at most once, in an
order fixed by the workflow's seed; a finite space is done once every admissible point has been
asked. Edit \`src/index.js\` to make it yours.

## Options

| option | default | meaning |
| --- | --- | --- |
| \`trials\` | \`100\` | candidates to evaluate at most |
| \`max_misses\` | \`1000\` | with a continuous range: repeated or inadmissible draws in a row before it stops |

${developSection("Regimen's optimizer conformance kit + this plugin's own tests")}
${useSection(n, `  phases:
    - name: parameter_discovery
      config:
        algorithm: ${n.plugin}
        algorithm_options: { trials: 50 }`)}
The same \`algorithm\` / \`algorithm_options\` keys choose the search of \`ensemble_optimization\`.

## The contract

\`create(space, options, rng)\` returns a search: \`ask(n)\` hands out up to \`n\` new candidates
(never one asked before, each inside the space's dimensions and constraints — weight spaces on the
simplex), \`tell(results)\` takes their scores (higher is better; \`NaN\` for a failed trial),
\`done\` says it will ask nothing more, and \`estimate()\` the evaluations it expects (for
\`--dry-run\`). Every random choice must come from \`rng\`, so a seed fixes the run. Regimen's
\`docs/plugins.md\` has the rest.

${regimenPackagesSection(vendored)}## Publish

\`npm test && npm publish\`, after switching to published names (above).
`;
}
