import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRegimenError } from '@regimen/core';
import { packageDir, regimenClosure, vendorRegimen } from './vendor.js';

/** an installation with node_modules/<name> for each package: { name: [its @regimen deps, built?] } */
function installation(pkgs: Record<string, [string[], boolean]>): string {
  const root = mkdtempSync(join(tmpdir(), 'regimen-vendor-'));
  for (const [name, [deps, built]] of Object.entries(pkgs)) {
    const dir = join(root, 'node_modules', name);
    mkdirSync(join(dir, 'dist'), { recursive: true });
    const dependencies = Object.fromEntries([...deps.map((d) => [d, '0.1.0']), ['zod', '^4.1.0']]);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '0.1.0', type: 'module', files: ['dist'], dependencies }));
    if (built) writeFileSync(join(dir, 'dist/index.js'), 'export {};\n');
  }
  return root;
}

describe('vendoring Regimen into a plugin package', () => {
  it('packs the named packages and every @regimen package they depend on, dependencies first', () => {
    const root = installation({
      '@regimen/core': [[], true],
      '@regimen/data': [['@regimen/core'], true],
      '@regimen/kernel': [['@regimen/core'], true],
      '@regimen/plugin-testkit': [['@regimen/core', '@regimen/data', '@regimen/kernel'], true],
      '@regimen/report': [['@regimen/core'], true],
    });
    const from = join(root, 'node_modules/@regimen/plugin-testkit/dist');
    expect(regimenClosure(['@regimen/core', '@regimen/plugin-testkit'], from).map((p) => p.name)).toEqual(['@regimen/core', '@regimen/data', '@regimen/kernel', '@regimen/plugin-testkit']);
    const plugin = join(root, 'plugin');
    mkdirSync(plugin);
    const v = vendorRegimen(plugin, ['@regimen/core', '@regimen/plugin-testkit'], from);
    expect(v.version).toBe('0.1.0');
    expect(v.specs).toEqual({
      '@regimen/core': 'file:vendor/regimen-core-0.1.0.tgz',
      '@regimen/data': 'file:vendor/regimen-data-0.1.0.tgz',
      '@regimen/kernel': 'file:vendor/regimen-kernel-0.1.0.tgz',
      '@regimen/plugin-testkit': 'file:vendor/regimen-plugin-testkit-0.1.0.tgz',
    });
    expect(readdirSync(join(plugin, 'vendor')).sort()).toEqual(Object.values(v.specs).map((s) => s.slice('file:vendor/'.length)).sort());
  });

  it('refuses an unbuilt package and a missing one with one line', () => {
    const root = installation({ '@regimen/core': [[], false] });
    const from = join(root, 'node_modules');
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(isRegimenError(e)).toBe(true);
        return (e as Error).message;
      }
      throw new Error('did not throw');
    };
    expect(err(() => vendorRegimen(join(root, 'p'), ['@regimen/core'], from))).toMatch(/@regimen\/core is not built; run `npm run build`/);
    expect(err(() => packageDir('@regimen/nothing', from))).toMatch(/cannot find Regimen's package @regimen\/nothing/);
  });
});
