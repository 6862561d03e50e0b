import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import type { z } from 'zod';
import {
  CheckpointSchema,
  ClassifierModelFileSchema,
  EnsembleTrialSchema,
  EnsembleWeightsSchema,
  ManifestSchema,
  readJsonFile,
  RegimeOptimalParamsSchema,
  regimenError,
  ResolvedConfigSchema,
  TrialPerformanceSchema,
  TrialsFileSchema,
  UniverseResultsSchema,
  ValidationResultsSchema,
  ValidationTradesSchema,
} from '@regimen/core';
import { arrowToRows, isSignalEventsTable, readArrowTable, readSignalEvents } from '@regimen/data';
import { table } from '../format.js';
import { intOption } from './options.js';

/** Which schema validates a workspace JSON file, by its name (DESIGN §4). */
export function schemaFor(file: string): z.ZodType | null {
  const name = basename(file);
  const dir = basename(file.slice(0, -name.length - 1));
  if (/^ensemble_trial_.*\.json$/.test(name)) return EnsembleTrialSchema;
  if (/^trial_.*\.json$/.test(name)) return TrialPerformanceSchema;
  if (dir === 'checkpoints') return CheckpointSchema;
  if (dir === 'classifiers') return ClassifierModelFileSchema;
  const byName: Record<string, z.ZodType> = {
    'workflow.json': ManifestSchema,
    'config.resolved.json': ResolvedConfigSchema,
    'trials.json': TrialsFileSchema,
    'regime_optimal_params.json': RegimeOptimalParamsSchema,
    'ensemble_weights.json': EnsembleWeightsSchema,
    'validation_results.json': ValidationResultsSchema,
    'validation_trades.json': ValidationTradesSchema,
    'universe_results.json': UniverseResultsSchema,
  };
  return byName[name] ?? null;
}

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('pretty-print any workspace file (.json validated by its schema, .arrow and .jsonl as tables; a trial\'s signals as its events)')
    .argument('<file>', 'a file of a workspace')
    .option('--limit <n>', 'rows of a table to show (0 = all)', intOption('--limit'), 20)
    .option('--json', 'print as JSON')
    .action((file: string, o: { limit: number; json?: boolean }) => {
      const ext = extname(file).toLowerCase();
      if (ext === '.json') {
        const schema = schemaFor(file);
        const value = schema ? readJsonFile(file, schema) : JSON.parse(readFileSync(file, 'utf8'));
        console.log(JSON.stringify(value, null, 2));
        if (!o.json) process.stderr.write(schema ? `(${basename(file)}: valid)\n` : `(${basename(file)}: no schema for this file name; printed as is)\n`);
        return;
      }
      if (ext === '.arrow' || ext === '.feather' || ext === '.ipc' || ext === '.jsonl') {
        // a trial's signals print as their events (bar, position), whatever the file's layout
        const arrow = ext === '.jsonl' ? null : readArrowTable(file);
        const t =
          !arrow || isSignalEventsTable(arrow)
            ? (() => {
                const s = readSignalEvents(file);
                const rows = Array.from(s.events.bar, (b, i) => ({ bar: b, position: s.events.position[i] }));
                return { fields: [{ name: 'bar', type: 'int' }, { name: 'position', type: 'float' }], rows, numRows: rows.length, meta: { trial_id: s.trial_id, window: s.window } };
              })()
            : { ...arrowToRows(arrow, o.limit || undefined), meta: undefined };
        const rows = o.limit ? t.rows.slice(0, o.limit) : t.rows;
        if (o.json) {
          console.log(JSON.stringify({ fields: t.fields, numRows: t.numRows, rows, ...(t.meta ? { meta: t.meta } : {}) }, null, 2));
          return;
        }
        console.log(`${basename(file)}: ${t.numRows} rows · ${t.fields.map((f) => `${f.name}:${f.type}`).join(', ')}`);
        console.log(table(t.fields.map((f) => f.name), rows.map((r) => t.fields.map((f) => cell((r as Record<string, unknown>)[f.name])))));
        if (rows.length < t.numRows) console.log(`… ${t.numRows - rows.length} more rows (--limit 0 shows all)`);
        return;
      }
      if (ext === '.yaml' || ext === '.yml') {
        console.log(readFileSync(file, 'utf8'));
        return;
      }
      throw regimenError({ code: 'usage', file, message: 'not a workspace file (.json, .arrow, .jsonl or .yaml)' });
    });
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(6);
  return typeof v === 'string' ? v : JSON.stringify(v);
}
