import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { taskModuleLink } from '@regimen/core';
import { decodeTask, encodeTask, UnportableTask } from './task-codec.js';
import type { TaskModule } from './compat.js';

const noArrays = () => Promise.reject(new Error('no arrays here'));

describe('a module a task names, over the wire', () => {
  it('travels as its package, version and path, and comes back as the worker\'s own file of it', async () => {
    const from = mkdtempSync(join(tmpdir(), 'regimen-link-'));
    const pkg = join(from, 'node_modules', 'regimen-link-fixture');
    mkdirSync(join(pkg, 'lib'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'regimen-link-fixture', version: '2.0.1', type: 'module', main: 'index.js' }));
    writeFileSync(join(pkg, 'index.js'), 'export default {};\n');
    const task = { kind: 'fit', source: taskModuleLink(pathToFileURL(join(pkg, 'index.js')).href), nested: [{ m: taskModuleLink(join(pkg, 'lib', 'x.js')) }], n: 3 };
    const bytes = await encodeTask(task, noArrays);
    const seen: TaskModule[] = [];
    const decoded = (await decodeTask(bytes, noArrays, (ref) => {
      seen.push(ref);
      return `/elsewhere/${ref.package}@${ref.version}/${ref.path}`;
    })) as typeof task;
    expect(seen).toEqual([
      { package: 'regimen-link-fixture', version: '2.0.1', path: 'index.js' },
      { package: 'regimen-link-fixture', version: '2.0.1', path: 'lib/x.js' },
    ]);
    expect(decoded).toEqual({
      kind: 'fit',
      source: { regimenModule: 'file:///elsewhere/regimen-link-fixture@2.0.1/index.js' },
      nested: [{ m: { regimenModule: 'file:///elsewhere/regimen-link-fixture@2.0.1/lib/x.js' } }],
      n: 3,
    });
  });

  it('a package specifier travels as itself; a file outside any package cannot travel', async () => {
    const bytes = await encodeTask({ source: taskModuleLink('@regimen/classifier-hmm') }, noArrays);
    const refs: TaskModule[] = [];
    await decodeTask(bytes, noArrays, (ref) => (refs.push(ref), '/x.js'));
    expect(refs).toEqual([{ package: '@regimen/classifier-hmm', path: null, specifier: '@regimen/classifier-hmm' }]);
    const lone = join(mkdtempSync(join(tmpdir(), 'regimen-lone-')), 'level.js');
    writeFileSync(lone, 'export default {};\n');
    await expect(encodeTask({ source: taskModuleLink(pathToFileURL(lone).href) }, noArrays)).rejects.toBeInstanceOf(UnportableTask);
  });
});
