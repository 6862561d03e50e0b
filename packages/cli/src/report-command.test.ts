import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { workspaceWarnings, type Warning } from '@regimen/report';
import { cli } from '../test/harness.js';
import { formatSummary } from './commands/run.js';

describe('regimen report, and the report a run writes', () => {
  it('run --no-report writes none; report writes one; --from-phase writes it again', async () => {
    const { smallWorkflow } = await import('@regimen/coordinator');
    const { dir, config } = smallWorkflow();
    const ws = join(dir, 'ws');
    const run = await cli('run', config, '--out', ws, '--workers', '0', '--no-report', '--json');
    expect(run.code, run.err).toBe(0);
    const summary = JSON.parse(run.out);
    expect(summary.report).toBeNull();
    // the run's warnings are the report's: here at most a PBO above one half (its strategies trade, its regimes last)
    expect(summary.warnings).toEqual(workspaceWarnings(ws));
    expect(summary.warnings.filter((w: Warning) => w.code !== 'overfit')).toEqual([]);
    expect(existsSync(join(ws, 'report.html'))).toBe(false);

    const out = join(dir, 'elsewhere.html');
    const report = await cli('report', ws, '--out', out);
    expect(report.code, report.err).toBe(0);
    expect(report.out).toContain(`Report: ${out}`);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('Content-Security-Policy');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);

    const again = await cli('run', ws, '--workers', '0', '--from-phase', 'validation');
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain(`Report: ${join(ws, 'report.html')}`);
    // the page carries the rerun's validation checkpoint
    const payload = /id="regimen-data"[^>]*>([^<]+)</.exec(readFileSync(join(ws, 'report.html'), 'utf8'))![1]!;
    const data = JSON.parse(gunzipSync(Buffer.from(payload, 'base64')).toString('utf8'));
    const phase = data.sections[0].phases.find((p: { phase: string }) => p.phase === 'validation');
    expect(phase.completed_at).toBe(JSON.parse(readFileSync(join(ws, 'checkpoints', 'validation.json'), 'utf8')).completed_at);
  });

  it('a walk-forward\'s run writes its page and every fold\'s, and prints the same warnings', async () => {
    const { smallWorkflow } = await import('@regimen/coordinator');
    const { dir, config } = smallWorkflow({
      phases: `    - name: parameter_discovery
      config:
        parameter_space: { lookback: [10, 30], threshold: [0.005, 0.02] }
    - name: regime_analysis
      config: { min_bars: 10 }
    - name: ensemble_optimization
      config: { algorithm: grid, objective: sharpe }
    - name: validation
      config: { method: walk_forward, folds: 2, in_sample: 600, gap: 2 }`,
    });
    const ws = join(dir, 'ws');
    const run = await cli('run', config, '--out', ws, '--workers', '0');
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain(`Report: ${join(ws, 'report.html')}`);
    expect(run.out).toContain('and each of the 2 folds\' own page');
    for (const k of [0, 1]) expect(existsSync(join(ws, 'folds', `fold_${k}`, 'report.html'))).toBe(true);
    const warnings = workspaceWarnings(ws);
    for (const w of warnings) expect(run.out).toContain(`! ${w.subject}: ${w.message}`);
  });

  it('refuses a folder that is not a workspace in one line, exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regimen-not-ws-'));
    const r = await cli('report', dir);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/workflow\.json.*not a Regimen workspace/);
    rmSync(dir, { recursive: true });
  });

  it('prints the warnings at the end of the run summary', () => {
    const text = formatSummary({ workspace: '/ws' }, 'hmm', [{ code: 'no_trades', subject: 'strategy_1', message: 'every one of the 25 trials of strategy_1 made no trade' }]);
    expect(text).toMatch(/Warnings:\n {2}! strategy_1: every one of the 25 trials of strategy_1 made no trade$/);
    expect(formatSummary({ workspace: '/ws' }, 'hmm', [])).not.toContain('Warnings');
  });
});
