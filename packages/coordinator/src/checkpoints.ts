import { existsSync, readFileSync } from 'node:fs';
import { CheckpointSchema, readJsonFile, sha256, writeJsonAtomic, type Checkpoint, type PhaseName } from '@regimen/core';
import type { RunContext } from './context.js';

/**
 * A phase is done when its checkpoint exists and was made from the same inputs: the config hash,
 * the data fingerprint and the bytes of the files it read. Editing an input file between phases
 * (allowed, DESIGN §4) therefore makes the phase run again.
 */
export function inputsHash(ctx: RunContext, configHash: string, phase: PhaseName, inputFiles: string[]): string {
  const parts = [configHash, ctx.fingerprint.sha256, phase];
  for (const f of inputFiles) parts.push(f.slice(ctx.paths.base.length), existsSync(f) ? sha256(readFileSync(f)) : 'missing');
  return sha256(parts.join('\n'));
}

export function readCheckpoint(ctx: RunContext, phase: PhaseName): Checkpoint | null {
  const p = ctx.paths.checkpoint(phase);
  return existsSync(p) ? readJsonFile(p, CheckpointSchema) : null;
}

export function writeCheckpoint(ctx: RunContext, c: Checkpoint): void {
  writeJsonAtomic(ctx.paths.checkpoint(c.phase), c);
}
