import type { Params } from '../model.js';
import type { WorkspaceFiles } from '../workspace-files.js';

/** Parameters that take one value across every trial of their strategy (a fixed `side`, say) say nothing about a winner. */
export function varyingParams(ws: WorkspaceFiles): (strategy: string, p: Params) => Params {
  const values = new Map<string, Set<string>>();
  for (const t of ws.surface?.trials ?? []) {
    for (const [k, v] of Object.entries(t.params)) {
      const key = `${t.strategy}\u0000${k}`;
      if (!values.has(key)) values.set(key, new Set());
      values.get(key)!.add(JSON.stringify(v));
    }
  }
  return (strategy, p) => Object.fromEntries(Object.entries(p).filter(([k]) => (values.get(`${strategy}\u0000${k}`)?.size ?? 2) > 1));
}
