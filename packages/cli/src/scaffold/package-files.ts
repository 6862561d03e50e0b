import { SCAFFOLD_VERSIONS as V, type ScaffoldNames } from './names.js';
import { VENDOR_DIR, type Vendored } from './vendor.js';

/**
 * The files around src/index.js. `main` as well as `exports`: a workflow that names the package's
 * folder by path is resolved like require() of a directory, which reads `main`, not `exports`.
 */
export interface PackageExtras {
  files?: string[];
  scripts?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const WHAT = { classifier: 'regime classifier', strategy: 'strategy', optimizer: 'optimizer' } as const;
const KEYWORD = { classifier: 'regime-classifier', strategy: 'regimen-strategy', optimizer: 'regimen-optimizer' } as const;

/**
 * Regimen's packages come from vendor/ (see vendor.ts): the direct ones by their `file:` spec, and
 * `overrides` point the test kit's own @regimen dependencies there too, so npm never asks a
 * registry for them. npm accepts an override of a direct dependency only when the two specs are
 * identical, which they are.
 */
export function packageJson(n: ScaffoldNames, vendored: Vendored, extra: PackageExtras = {}): string {
  const what = WHAT[n.kind];
  const pkg = {
    name: n.pkg,
    version: '0.1.0',
    description: `Regimen ${what} plugin "${n.plugin}"`,
    license: 'MIT',
    type: 'module',
    main: './src/index.js',
    exports: { '.': './src/index.js' },
    files: ['src', '!src/**/*.test.js', ...(extra.files ?? [])],
    keywords: ['regimen', 'regimen-plugin', KEYWORD[n.kind]],
    engines: { node: '>=20.19' },
    scripts: { ...extra.scripts, test: 'vitest run', typecheck: 'tsc -p tsconfig.json' },
    dependencies: { '@regimen/core': vendored.specs['@regimen/core'], zod: V.zod },
    devDependencies: { '@regimen/plugin-testkit': vendored.specs['@regimen/plugin-testkit'], typescript: V.typescript, vitest: V.vitest, ...extra.devDependencies },
    overrides: vendored.specs,
  };
  return JSON.stringify(pkg, null, 2) + '\n';
}

/** Type-checks the JavaScript through its JSDoc (checkJs); nothing is emitted, nothing to build. */
export function tsconfigJson(): string {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      allowJs: true,
      checkJs: true,
      noEmit: true,
      strict: true,
      skipLibCheck: true,
    },
    include: ['src'],
  };
  return JSON.stringify(config, null, 2) + '\n';
}

export function testSource(n: ScaffoldNames): string {
  return `import { describe, expect, it } from 'vitest';
import { NO_REGIME } from '@regimen/core';
import { classifierConformance, syntheticBars } from '@regimen/plugin-testkit';
import plugin, { rollingVol } from './index.js';

// Regimen's conformance checks: shape, options, labels in range, JSON model, causality, determinism, speed.
classifierConformance(plugin, { data: syntheticBars(3000, 1) });
classifierConformance(plugin, { data: syntheticBars(3000, 2), options: { window: 60 } });

describe('${n.plugin}', () => {
  it('rolling volatility is the sample sd of the last window log returns', () => {
    const v = rollingVol(Float64Array.from([100, 110, 99, 99]), 2);
    expect(v[1]).toBeNaN();
    // two returns a, b: their sample sd is |a − b| / √2
    expect(v[2]).toBeCloseTo(Math.abs(Math.log(1.1) - Math.log(0.9)) / Math.SQRT2, 12);
    expect(v[3]).toBeCloseTo(Math.abs(Math.log(0.9)) / Math.SQRT2, 12);
  });

  it('splits the training bars at their median volatility; warm-up is NO_REGIME', () => {
    const bars = syntheticBars(1000, 3);
    const options = { window: 20 };
    const labels = plugin.label(bars, plugin.fit(bars, options, { seed: 0 }), options);
    expect(Array.from(labels.subarray(0, 20))).toEqual(new Array(20).fill(NO_REGIME));
    // 980 defined bars, fitted on the same bars: exactly half lie above the median
    expect(labels.filter((l) => l === 0).length).toBe(490);
    expect(labels.filter((l) => l === 1).length).toBe(490);
  });
});
`;
}

/**
 * Where Regimen's packages come from, and how to move to published names. Every README of a
 * scaffold carries it, because `npm publish` of a package that names `file:vendor/…` would
 * publish a dependency nobody else can install.
 */
export function regimenPackagesSection(vendored: Vendored): string {
  const names = Object.keys(vendored.specs);
  return `## Regimen's packages

Regimen's own packages are not on the public npm registry yet, so \`regimen plugin new\` packed the
ones this plugin needs from the Regimen that made it into \`${VENDOR_DIR}/\`
(${names.map((x) => `\`${x}\``).join(', ')}), and \`package.json\` names them
there (\`file:${VENDOR_DIR}/…\` in \`dependencies\`, \`devDependencies\` and \`overrides\`). Everything
else comes from the public registry. Keep \`${VENDOR_DIR}/\` with the package (commit it); \`npm install\`
needs it.

To move to a newer Regimen, scaffold a throwaway plugin with it and copy its \`${VENDOR_DIR}/\` and the
\`file:\` specs over.

Once Regimen is published, switch to the published names: in \`package.json\` set
\`"@regimen/core": "^${vendored.version}"\` and \`"@regimen/plugin-testkit": "^${vendored.version}"\`, delete
\`"overrides"\`, delete \`${VENDOR_DIR}/\` and \`package-lock.json\`, and run \`npm install\`. Do that before
\`npm publish\`: a published package cannot depend on \`file:\` tarballs.

`;
}

/** The README's Develop commands, the same in every scaffold; `tests` says what `npm test` runs. */
export function developSection(tests: string): string {
  return `## Develop

\`\`\`sh
npm install
npm test            # ${tests}
npm run typecheck   # JSDoc types checked against @regimen/core
\`\`\`
`;
}

/** The README's Use section for a plugin listed in `workflow.plugins`; `yaml` follows that line. */
export function useSection(n: ScaffoldNames, yaml: string): string {
  return `## Use

In a workflow, by path (relative to the workflow file) or, once installed, by package name:

\`\`\`yaml
workflow:
  plugins: [./${n.plugin}]          # or: [${n.pkg}]
${yaml}
\`\`\`
`;
}

export function readme(n: ScaffoldNames, vendored: Vendored): string {
  return `# ${n.pkg}

A regime classifier plugin for Regimen, named \`${n.plugin}\`.
As generated it labels each bar \`high_vol\` or \`low_vol\`: the sample standard deviation of the
last \`window\` log returns against its median over the training split. Bars before the window
fills are \`NO_REGIME\`. Edit \`src/index.js\` to make it yours.

## Options

| option | default | meaning |
| --- | --- | --- |
| \`window\` | \`20\` | bars in the trailing volatility estimate |

${developSection("Regimen's conformance kit + this plugin's own tests")}
The source is plain JavaScript (ES modules) with JSDoc types, so Node loads it without a build step.

${useSection(n, `  classifiers:
    vol: { plugin: ${n.plugin}, options: { window: 30 } }`)}
On its own: \`npx regimen classify --load ./${n.plugin} --classifier ${n.plugin} --data prices.csv --out labels.csv\`.

${regimenPackagesSection(vendored)}## Publish

\`npm test && npm publish\`, after switching to published names (above). The rules a plugin must keep (causal labels, a JSON model, options with
defaults, \`apiVersion\`) are in Regimen's \`docs/plugins.md\`.
`;
}

export const gitignore = 'node_modules/\n';
