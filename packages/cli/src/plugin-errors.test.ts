import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { smallWorkflow } from '@regimen/coordinator';
import { cli } from '../test/harness.js';


const repo = fileURLToPath(new URL('../../../', import.meta.url));
const zodDir = dirname(createRequire(join(repo, 'packages/core/package.json')).resolve('zod/package.json'));

/** Lets plugin files in `dir` import zod and @regimen/core, like an installed plugin. */
function linkDeps(dir: string): void {
  mkdirSync(join(dir, 'node_modules/@regimen'), { recursive: true });
  symlinkSync(zodDir, join(dir, 'node_modules/zod'), 'dir');
  symlinkSync(join(repo, 'packages/core'), join(dir, 'node_modules/@regimen/core'), 'dir');
}

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
  { what: 'a wrong kind', files: { 'kind.js': plugin('kindly', "kind: 'strategy'") }, load: './kind.js', classifier: 'kindly', line: [/plugin "kindly"/, /kind/] },
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
];

describe('broken plugins: one line naming the plugin, exit 2', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(cases)('$what', async (c) => {
    // the plugin files sit beside the workflow: a relative path in workflow.plugins is relative to it
    const wf = smallWorkflow({ bars: 300, extra: `    b: { plugin: ${c.classifier}, options: ${c.options ?? '{}'} }\n  plugins: [${JSON.stringify(c.load)}]` });
    linkDeps(wf.dir);
    for (const [name, text] of Object.entries(c.files)) writeFileSync(join(wf.dir, name), text);
    const r = await cli('run', wf.config, '--out', join(wf.dir, 'ws'), '--workers', '0', '--quiet');
    expect(r.code, r.err).toBe(2);
    expect(r.err.endsWith('\n')).toBe(true);
    expect(r.err.trim().split('\n'), r.err).toHaveLength(1);
    expect(r.err.startsWith('error: ')).toBe(true);
    for (const re of c.line) expect(r.err).toMatch(re);
  });
});
