import type { RegimesSection, RegimeStatsView } from '../model.js';
import { regimeStats } from '../regime-stats.js';
import type { WorkspaceFiles } from '../workspace-files.js';

/** Every classifier's regime statistics on each split phase 1 labelled. */
export function regimeStatistics(ws: WorkspaceFiles): RegimeStatsView[] {
  return Object.entries(ws.labels).flatMap(([classifier, splits]) =>
    (['train', 'test'] as const).flatMap((split) => {
      const f = splits[split];
      return f ? [{ classifier, split, ...regimeStats(f.labels, f.names) }] : [];
    }),
  );
}

export function regimesSection(stats: RegimeStatsView[]): RegimesSection | null {
  return stats.length ? { kind: 'regimes', stats } : null;
}
