import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ClassifierConfigSchema,
  CostsSchema,
  DataConfigSchema,
  EnsembleConfigSchema,
  ParameterDiscoveryConfigSchema,
  RegimeAnalysisConfigSchema,
  StrategyConfigSchema,
  ValidationConfigSchema,
  WorkflowConfigSchema,
} from '@regimen/core';
import { buildProgram } from './index.js';

// The reference moved from the README to docs/: these tests keep it true to the code, so a new
// option or config key that is not documented fails here rather than surprising a user.
const docs = (name: string) => readFileSync(fileURLToPath(new URL(`../../../docs/${name}`, import.meta.url)), 'utf8');

function commandsOf(c: Command, prefix = ''): Array<{ path: string; command: Command }> {
  return c.commands.flatMap((sub) => {
    const path = `${prefix}${sub.name()}`;
    return [{ path, command: sub }, ...commandsOf(sub, `${path} `)];
  });
}

/** The keys of an object schema, looking through refinements and unions of objects. */
function keysOf(schema: z.ZodType): string[] {
  const def = (schema as unknown as { def: { type: string; options?: z.ZodType[]; innerType?: z.ZodType } }).def;
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (def.type === 'union' || def.type === 'discriminatedUnion') return (def.options ?? []).flatMap(keysOf);
  if (def.innerType) return keysOf(def.innerType);
  return [];
}

const program = await buildProgram();

describe('docs/cli.md', () => {
  const text = docs('cli.md');
  for (const { path, command } of commandsOf(program)) {
    if (command.commands.length > 0) continue; // a group (e.g. `data`): its subcommands are listed
    it(`names \`regimen ${path}\` and every one of its options`, () => {
      expect(text).toContain(`regimen ${path}`);
      const missing = command.options.map((o) => o.long ?? o.short ?? '').filter((flag) => flag && !text.includes(flag));
      expect(missing, `options of regimen ${path} not in docs/cli.md`).toEqual([]);
    });
  }
});

describe('docs/config.md', () => {
  const text = docs('config.md');
  const schemas: Record<string, z.ZodType> = {
    workflow: WorkflowConfigSchema,
    data: DataConfigSchema,
    costs: CostsSchema,
    strategies: StrategyConfigSchema,
    classifiers: ClassifierConfigSchema,
    parameter_discovery: ParameterDiscoveryConfigSchema,
    regime_analysis: RegimeAnalysisConfigSchema,
    ensemble_optimization: EnsembleConfigSchema,
    validation: ValidationConfigSchema,
  };
  for (const [name, schema] of Object.entries(schemas)) {
    it(`documents every key of ${name}`, () => {
      const keys = keysOf(schema);
      expect(keys.length).toBeGreaterThan(0);
      const missing = keys.filter((k) => !new RegExp(`\\b${k}:`).test(text));
      expect(missing, `keys of ${name} not in docs/config.md`).toEqual([]);
    });
  }
});
