import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { regimenError } from './errors.js';
import { tempFileOwner } from './temp-files.js';

/** What a run creates at a workspace's top before its manifest (report.html comes after it). */
const RUN_MADE = new Set(['.lock', 'signals', 'performance', 'analysis', 'metadata', 'checkpoints', 'folds', 'series']);

/**
 * A run writes only into an empty folder or a Regimen workspace: one with metadata/workflow.json,
 * or what a run killed before it wrote its manifest leaves — its lock alone, or its folders with
 * metadata/ among them. Anything else — `--out ~/notes` — is refused before a byte is written,
 * since analysis/, performance/ and report.html would land among the user's files and overwrite
 * same-named ones.
 */
export function refuseForeignFolder(base: string): void {
  if (!existsSync(base)) return;
  if (!statSync(base).isDirectory()) {
    throw regimenError({ code: 'workspace', file: base, message: 'not a folder: give --out a folder for the workspace' });
  }
  if (existsSync(join(base, 'metadata', 'workflow.json'))) return;
  const names = readdirSync(base).sort();
  const foreign = names.filter((name) => !RUN_MADE.has(name) && tempFileOwner(name) === undefined);
  const begun = names.includes('metadata') || names.every((name) => name === '.lock');
  if (foreign.length === 0 && begun) return;
  if (foreign.length === 0) foreign.push(...names);
  const holds = foreign.length > 3 ? [...foreign.slice(0, 3), '…'].join(', ') : foreign.join(', ');
  throw regimenError({
    code: 'workspace',
    file: base,
    message: `not empty (${holds}) and not a Regimen workspace (no metadata/workflow.json): choose another --out, or --force to write here anyway`,
  });
}
