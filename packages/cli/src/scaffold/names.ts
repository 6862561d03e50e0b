import { regimenError } from '@regimen/core';

export type ScaffoldKind = 'classifier' | 'strategy' | 'optimizer';

export interface ScaffoldNames {
  kind: ScaffoldKind;
  /** the plugin's name in workflows: `classifiers: { x: { plugin: <plugin> } }`, a strategy's `type` */
  plugin: string;
  /** the npm package name */
  pkg: string;
  /** the factory function exported by src/index.js */
  factory: string;
}

/**
 * Version ranges written into a new package (Regimen's own packages come from vendor/, see
 * vendor.ts; `regimen` is the range its README tells a plugin to use once they are published: 0.x,
 * so a caret range stays within the minor). zod for its options schema (v4, whose
 * `instanceof` checks work across copies, so the plugin's zod need not be the host's), and tests
 * with the same vitest as this repository.
 */
export const SCAFFOLD_VERSIONS = {
  regimen: '^0.1.0',
  zod: '^4.1.0',
  vitest: '^4.1.12',
  typescript: '^5.9.3',
  assemblyscript: '^0.28.20',
} as const;

/** A plugin name is also a folder and part of an npm name (regimen-<kind>-<name>): lowercase letters, digits, inner hyphens. */
export function scaffoldNames(name: string, kind: ScaffoldKind = 'classifier'): ScaffoldNames {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
    throw regimenError({ code: 'usage', field: 'name', value: name, message: 'a plugin name is lowercase letters and digits, words joined by single hyphens (e.g. vol-regime)' });
  }
  const camel = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const Kind = kind[0]!.toUpperCase() + kind.slice(1);
  return { kind, plugin: name, pkg: `regimen-${kind}-${name}`, factory: `${camel}${Kind}` };
}
