import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LiveStateSchema, readJsonFile, writeJsonAtomic, type LiveState } from '@regimen/core';

export const defaultStateDir = (workspace: string): string => join(workspace, 'live');
export const statePath = (stateDir: string): string => join(stateDir, 'state.json');

export function readLiveState(stateDir: string): LiveState | null {
  const file = statePath(stateDir);
  return existsSync(file) ? readJsonFile(file, LiveStateSchema) : null;
}

/** Atomically (temp file + fsync + rename), after the journal lines it covers are durable. */
export function writeLiveState(stateDir: string, state: LiveState): void {
  writeJsonAtomic(statePath(stateDir), LiveStateSchema.parse(state));
}
