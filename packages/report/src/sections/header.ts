import { PHASES } from '@regimen/core';
import type { HeaderSection, Scalar } from '../model.js';
import type { WorkspaceFiles } from '../workspace-files.js';

/** What ran on what: workflow, data and split, seed, costs, each phase's time, the proofs. */
export function headerSection(ws: WorkspaceFiles): HeaderSection {
  const { manifest: m, config: c, validation: v } = ws;
  const scalarSummary = (s: Record<string, unknown> | undefined) =>
    Object.fromEntries(Object.entries(s ?? {}).filter((e): e is [string, Scalar] => ['number', 'string', 'boolean'].includes(typeof e[1])));
  return {
    kind: 'header',
    workflow_id: m.workflow_id,
    created_at: m.created_at,
    regimen_version: m.regimen_version,
    config_path: m.config_path,
    seed: c.seed,
    data: {
      source: m.data_fingerprint.source,
      column: c.data.column,
      bars: m.data_fingerprint.bars,
      first: m.data_fingerprint.first,
      last: m.data_fingerprint.last,
      train_bars: m.split.train_bars,
      test_bars: m.split.test_bars,
      test_start: m.split.test_start,
      bars_per_year: m.bars_per_year,
    },
    costs: c.costs,
    strategies: c.strategies.map((s) => ({ name: s.name, type: s.type, side: s.side })),
    classifiers: c.classifiers.map((cl) => {
      const file = ws.classifiers.find((f) => f.name === cl.name);
      return { name: cl.name, plugin: cl.plugin, regimes: file?.regimes ?? [], summary: scalarSummary(file?.summary) };
    }),
    phases: PHASES.map((phase) => {
      const cp = ws.checkpoints[phase];
      return { phase, configured: m.phases.includes(phase), complete: Boolean(cp), seconds: cp?.seconds ?? null, completed_at: cp?.completed_at ?? null, counts: cp?.counts ?? {} };
    }),
    proofs: v
      ? {
          transitions_verified: v.checks.transitions_verified,
          transitions_checked: v.checks.transitions_checked,
          look_ahead: v.checks.look_ahead ? { passed: v.checks.look_ahead.passed, cuts: v.checks.look_ahead.cuts.length } : null,
          transitions: v.transitions.length,
        }
      : null,
  };
}
