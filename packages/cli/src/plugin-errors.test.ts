import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { smallWorkflow } from '@regimen/coordinator';
import { cli } from '../test/harness.js';
import { linkRegimen, repo } from '../test/plugin-package.js';

/** a working classifier (up/down of the last return) with one part replaced */
const plugin = (name: string, override = '') => `import { z } from 'zod';
const up = {
  kind: 'classifier',
  name: '${name}',
  options: z.object({ window: z.number().int().min(2).default(5) }).strict(),
  fit: () => ({ ok: 1 }),
  regimes: () => ['up', 'down'],
  label: (d) => Uint8Array.from(d.close, (c, t) => (t === 0 ? 255 : c >= d.close[t - 1] ? 0 : 1)),
};
export default { ...up, ${override} };
`;

interface Case {
  what: string;
  /** file name → source, written to the plugin folder */
  files: Record<string, string>;
  /** what workflow.plugins names */
  load: string;
  classifier: string;
  options?: string;
  /** the one line must match these */
  line: RegExp[];
}

const cases: Case[] = [
  { what: 'a missing hook', files: { 'nolabel.js': plugin('nolabel', 'label: undefined') }, load: './nolabel.js', classifier: 'nolabel', line: [/plugin "nolabel"/, /needs a function "label"/] },
  { what: 'a wrong kind', files: { 'kind.js': plugin('kindly', "kind: 'indicator'") }, load: './kind.js', classifier: 'kindly', line: [/plugin "kindly"/, /kind/] },
  {
    what: 'an optimizer named as a classifier',
    files: { 'opt.js': `import { z } from 'zod';\nexport default { kind: 'optimizer', name: 'opti', options: z.object({}), create: () => ({}) };\n` },
    load: './opt.js', classifier: 'opti', line: [/"opti" is an optimizer plugin \(.*opt\.js\), not a classifier/],
  },
  { what: 'a newer plugin API', files: { 'api.js': plugin('future', 'apiVersion: 99') }, load: './api.js', classifier: 'future', line: [/plugin "future"/, /targets plugin API 99/] },
  { what: 'options failing its schema', files: { 'opts.js': plugin('picky') }, load: './opts.js', classifier: 'picky', options: '{ window: 1 }', line: [/plugin "picky"/, /classifiers\.b\.options\.window = 1/] },
  { what: 'an unknown option', files: { 'opts.js': plugin('picky') }, load: './opts.js', classifier: 'picky', options: '{ windw: 3 }', line: [/plugin "picky"/, /windw/] },
  { what: 'fit throws', files: { 'fit.js': plugin('fitter', "fit: () => { throw new Error('singular matrix'); }") }, load: './fit.js', classifier: 'fitter', line: [/plugin "fitter" failed in fit\(\): singular matrix/] },
  { what: 'label throws', files: { 'lab.js': plugin('labeller', "label: () => { throw new TypeError('x is undefined'); }") }, load: './lab.js', classifier: 'labeller', line: [/plugin "labeller" failed in label\(\): x is undefined/] },
  { what: 'label returns too few labels', files: { 'short.js': plugin('shorty', 'label: () => new Uint8Array(3)') }, load: './short.js', classifier: 'shorty', line: [/plugin "shorty" failed in label\(\)/, /3 labels for \d+ bars/] },
  { what: 'a package that cannot be found', files: {}, load: 'regimen-classifier-does-not-exist', classifier: 'x', line: [/cannot find plugin package "regimen-classifier-does-not-exist"/] },
  { what: 'a module without a default export', files: { 'named.js': `export const classifier = {};\n` }, load: './named.js', classifier: 'x', line: [/plugin "[^"]*\/named\.js" has no default export/] },
  { what: 'a module that fails to import', files: { 'syntax.js': `export default {;\n` }, load: './syntax.js', classifier: 'x', line: [/plugin "[^"]*\/syntax\.js" failed to load/] },
  {
    what: 'a plugin folder whose dependencies were never installed',
    files: { 'fresh/package.json': '{ "name": "fresh", "type": "module", "main": "./src/index.js" }\n', 'fresh/src/index.js': `import { z } from 'zod-never-installed';\nexport default z;\n` },
    load: './fresh', classifier: 'x', line: [/plugin "[^"]*\/fresh" failed to load: .*zod-never-installed/, /its dependencies are not installed: run `npm install` in \/.*\/fresh\)\n/],
  },
];

describe('broken plugins: one line naming the plugin, exit 2', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(cases)('$what', async (c) => {
    // the plugin files sit beside the workflow: a relative path in workflow.plugins is relative to it
    const wf = smallWorkflow({ bars: 300, extra: `    b: { plugin: ${c.classifier}, options: ${c.options ?? '{}'} }\n  plugins: [${JSON.stringify(c.load)}]` });
    linkRegimen(wf.dir);
    for (const [name, text] of Object.entries(c.files)) {
      mkdirSync(dirname(join(wf.dir, name)), { recursive: true });
      writeFileSync(join(wf.dir, name), text);
    }
    const r = await cli('run', wf.config, '--out', join(wf.dir, 'ws'), '--workers', '0', '--quiet');
    expect(r.code, r.err).toBe(2);
    expect(r.err.endsWith('\n')).toBe(true);
    expect(r.err.trim().split('\n'), r.err).toHaveLength(1);
    expect(r.err.startsWith('error: ')).toBe(true);
    for (const re of c.line) expect(r.err).toMatch(re);
  });
});

/** the example plugin's compiled WebAssembly (plugins/strategy-sma-cross, built by `npm run build`) */
const smaCrossWasm = join(repo, 'plugins/strategy-sma-cross/dist/sma-cross.wasm');

/** a working strategy (the sign of the last return from bar `lag`) with one part replaced */
const strategy = (name: string, override = '') => `import { z } from 'zod';
const ok = {
  kind: 'strategy',
  name: '${name}',
  params: z.strictObject({ lag: z.number().int().min(1).default(1) }),
  warmup: (p) => p.lag,
  positions(bars, p, out) {
    const c = bars.close;
    for (let t = p.lag; t < c.length; t++) out[t] = Math.sign(c[t] - c[t - p.lag]);
  },
};
export default { ...ok, ${override} };
`;

/** wrong on purpose: the SMA rule's WebAssembly, and as its "reference" the sign of the last return */
const wrongWasm = `wasm: { module: ${JSON.stringify(smaCrossWasm)}, args: () => [2, 5] }`;

const strategyCases: Array<{ what: string; source: string; line: RegExp[] }> = [
  { what: 'a missing hook', source: strategy('nopos', 'positions: undefined'), line: [/plugin "nopos"/, /a strategy plugin needs a function "positions"/] },
  { what: 'no parameter schema', source: strategy('noparams', 'params: { lag: 1 }'), line: [/plugin "noparams"/, /params must be a zod schema/] },
  { what: 'a position outside [−1, 1]', source: strategy('big', 'positions: (b, p, out) => void out.fill(2, 5)'), line: [/strategy plugin "big": positions\(\) gave 2 at bar 5: positions must be finite and in \[−1, 1\]/] },
  { what: 'NaN positions', source: strategy('nan', 'positions: (b, p, out) => void out.fill(NaN, 1)'), line: [/strategy plugin "nan": positions\(\) gave NaN at bar 1/] },
  { what: 'a position during its warm-up', source: strategy('eager', 'warmup: () => 10, positions: (b, p, out) => void out.fill(1)'), line: [/strategy plugin "eager": positions\(\) gave 1 at bar 0, but the first 10 bars \(its warm-up\) must be 0/] },
  { what: 'the wrong number of positions', source: strategy('short', 'positions: () => new Float64Array(3)'), line: [/strategy plugin "short": positions\(\) returned 3 positions for \d+ bars/] },
  { what: 'positions throws', source: strategy('thrower', "positions: () => { throw new Error('no volume column'); }"), line: [/strategy plugin "thrower" failed in positions\(\): no volume column/] },
  { what: 'warmup throws', source: strategy('warmless', "warmup: () => { throw new Error('bad lag'); }"), line: [/strategy plugin "warmless" failed in warmup\(\): bad lag/] },
  {
    what: 'a rule that looks one bar ahead',
    source: strategy('peeker', 'positions(b, p, out) { const c = b.close; for (let t = p.lag; t < c.length; t++) { const j = Math.min(t + 1, c.length - 1); out[t] = Math.sign(c[j] - c[j - p.lag]); } }'),
    line: [/strategy plugin "peeker" looks ahead: bar \d+: position -?[01] on the first \d+ bars but -?[01] on all 300 \(\{"lag":2,"side":"long_only"\}\)/],
  },
  { what: 'a name taken by a built-in', source: strategy('momentum'), line: [/strategy plugin name "momentum" from .* is already registered by @regimen\/kernel/] },
  { what: 'WebAssembly that does not match its reference', source: strategy('drifted', wrongWasm), line: [/strategy plugin "drifted": its WebAssembly positions differ from its TypeScript positions\(\) at bar \d+/] },
  { what: 'a WebAssembly file that is not there', source: strategy('unbuilt', "wasm: { module: new URL('./build/unbuilt.wasm', import.meta.url), args: () => [] }"), line: [/strategy plugin "unbuilt": cannot read its WebAssembly .*unbuilt\.wasm \(ENOENT\); build the plugin first/] },
  { what: 'a wasm part without args', source: strategy('argless', `wasm: { module: ${JSON.stringify(smaCrossWasm)} }`), line: [/plugin "argless"/, /wasm needs a function "args"/] },
];

describe('broken strategy plugins: one line naming the plugin, exit 2, before any trial runs', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(strategyCases)('$what', async (c) => {
    const wf = smallWorkflow({ bars: 300, strategies: '    mine: { plugin: ./strategy.js, parameter_space: { lag: [2, 3] } }' });
    linkRegimen(wf.dir);
    writeFileSync(join(wf.dir, 'strategy.js'), c.source);
    const ws = join(wf.dir, 'ws');
    const r = await cli('run', wf.config, '--out', ws, '--workers', '0', '--quiet');
    expect(r.code, r.err).toBe(2);
    expect(r.err.trim().split('\n'), r.err).toHaveLength(1);
    expect(r.err.startsWith('error: ')).toBe(true);
    for (const re of c.line) expect(r.err).toMatch(re);
    expect(existsSync(ws), 'nothing is written').toBe(false);
  });

  it('a plugin that throws mid-run is handled by on_error: fail stops the phase, skip records the trial and goes on', async () => {
    // lag 2 (the first parameter set, which the preflight runs) works; lag 3 throws inside a trial
    const source = strategy('moody', "positions(b, p, out) { if (p.lag === 3) throw new Error('lag 3 is bad luck'); out.fill(1, p.lag); }");
    const phases = (onError: string) => `    - name: parameter_discovery\n      config: { on_error: ${onError} }`;
    for (const onError of ['fail', 'skip']) {
      const wf = smallWorkflow({ bars: 300, strategies: '    mine: { plugin: ./strategy.js, parameter_space: { lag: [2, 3] } }', phases: phases(onError) });
      linkRegimen(wf.dir);
      writeFileSync(join(wf.dir, 'strategy.js'), source);
      const ws = join(wf.dir, 'ws');
      const r = await cli('run', wf.config, '--out', ws, '--workers', '0', '--quiet');
      if (onError === 'fail') {
        expect(r.code, r.err).toBe(1);
        expect(r.err).toMatch(/^error: .*a trial failed: .*strategy plugin "moody" failed in positions\(\): lag 3 is bad luck \(set on_error: skip/);
      } else {
        expect(r.code, r.err).toBe(0);
        const failed = JSON.parse(readFileSync(join(ws, 'performance/failed_trials.json'), 'utf8')).failed;
        expect(failed).toHaveLength(1);
        expect(failed[0]).toMatchObject({ strategy: 'mine', params: { lag: 3, side: 'long_only' } });
        expect(failed[0].error).toMatch(/strategy plugin "moody" failed in positions\(\): lag 3 is bad luck/);
      }
    }
  });
});
