import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { readJsonFile, regimenError, ValidationResultsSchema, workspacePaths } from '@regimen/core';
import { runWorkflow } from '@regimen/coordinator';
import { launchChromium, openReport, writeReport } from '@regimen/report';
import type { BenchOptions } from './options.js';
import { median, now } from './workload.js';

export interface ReportResult {
  suite: 'report';
  workspace: string;
  /** bars of the validation window the curves are drawn from */
  validation_bars: number;
  /** median seconds to read the workspace and write report.html */
  build_seconds: number;
  bytes: number;
  /** the page's data before gzip and base64 */
  data_bytes: number;
  /** median ms from navigation start to every section drawn (html[data-ready]), in headless Chromium */
  ready_ms: number;
  ready_runs: number[];
  /** median ms the page's main thread was busy until then (what the page costs, whatever the machine's load) */
  main_thread_ms: number;
  /**
   * median CPU ms all of Chromium's processes spent from opening the page to every section drawn
   * (/proc utime + stime): what the page costs, whatever else the machine is doing — on an idle
   * machine the wall time cannot exceed it by much, since the page's work is one main thread
   */
  cpu_ms: number;
  /** load average when the suite ran: the machine may be shared */
  load_average: number[];
  /** points drawn per equity curve (after the per-column reduction) */
  points_per_curve: number;
  budget: { bytes: number; ready_ms: number; met: boolean };
}

const SEED_WORKFLOW = fileURLToPath(new URL('../../examples/seed-workflow.yaml', import.meta.url));
const BUDGET = { bytes: 5_000_000, ready_ms: 2000 };

/**
 * `regimen bench report [--workspace DIR] [--repeat N]`: writes the workspace's report, then opens
 * it in headless Chromium N times (a fresh page each) and reports the size and the time until every
 * section is drawn. Without --workspace it runs the seed workflow on the embedded data first; the
 * 1M-bar case is a workspace made beforehand (benchmarks/RESULTS.md has the commands).
 */
export async function reportSuite(o: BenchOptions): Promise<ReportResult> {
  let dir = o.workspace;
  let temporary: string | undefined;
  if (!dir) {
    temporary = mkdtempSync(join(tmpdir(), 'regimen-bench-report-'));
    dir = join(temporary, 'ws');
    await runWorkflow(SEED_WORKFLOW, { outDir: dir, workers: o.workers });
  }
  try {
    const paths = workspacePaths(dir);
    const v = readJsonFile(paths.validationResults, ValidationResultsSchema);
    const builds: number[] = [];
    let written = await writeReport(dir);
    for (let i = 0; i < o.repeat; i++) {
      const t0 = now();
      written = await writeReport(dir);
      builds.push(now() - t0);
    }
    const html = readFileSync(written.path, 'utf8');
    const payload = /id="regimen-data"[^>]*>([^<]+)</.exec(html)?.[1] ?? '';
    const data = gunzipSync(Buffer.from(payload, 'base64'));
    const browser = await launchChromium();
    const ready: number[] = [];
    const busy: number[] = [];
    const cpu: number[] = [];
    // Chromium's processes are this process's descendants (playwright starts the browser)
    const root = process.pid;
    let points = 0;
    try {
      for (let i = 0; i < o.repeat; i++) {
        const cpu0 = treeCpuMs(root);
        const r = await openReport(browser, written.path);
        cpu.push(treeCpuMs(root) - cpu0);
        if (r.errors.length || r.requests.length) {
          throw regimenError({ code: 'internal', file: written.path, message: `the page logged errors ${JSON.stringify(r.errors)} or made requests ${JSON.stringify(r.requests)}` });
        }
        ready.push(r.readyMs);
        busy.push(r.mainThreadMs);
        points = await r.page.evaluate(() => (globalThis as unknown as { regimenCharts: Map<string, { data: unknown[][] }> }).regimenCharts.get('equity')?.data[0]?.length ?? 0);
        await r.page.close();
      }
    } finally {
      await browser.close();
    }
    const readyMs = median(ready);
    return {
      suite: 'report',
      workspace: temporary ? `seed workflow on the embedded data (${SEED_WORKFLOW})` : dir,
      validation_bars: v.bars,
      build_seconds: median(builds),
      bytes: written.bytes,
      data_bytes: data.length,
      ready_ms: readyMs,
      ready_runs: ready,
      main_thread_ms: median(busy),
      cpu_ms: median(cpu),
      load_average: loadavg(),
      points_per_curve: points,
      budget: { ...BUDGET, met: written.bytes <= BUDGET.bytes && readyMs <= BUDGET.ready_ms },
    };
  } finally {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
}

/** CPU ms (user + system) of the descendants of a process (not itself), from /proc (Linux). */
function treeCpuMs(pid: number): number {
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  const children = new Map<number, number[]>();
  const cpu = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(f[1]);
      cpu.set(Number(d), (Number(f[11]) + Number(f[12])) * tick);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // the process ended while we looked
    }
  }
  let total = -(cpu.get(pid) ?? 0);
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    total += cpu.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

export function formatReport(r: ReportResult): string {
  return [
    `report: ${r.workspace}, ${r.validation_bars.toLocaleString('en-US')} validation bars (${r.points_per_curve.toLocaleString('en-US')} points per curve)`,
    `file ${(r.bytes / 1e6).toFixed(2)} MB (data ${(r.data_bytes / 1e6).toFixed(2)} MB before gzip) · built in ${r.build_seconds.toFixed(2)} s · ` +
      `drawn in ${r.ready_ms.toFixed(0)} ms in headless Chromium (median of ${r.ready_runs.map((x) => x.toFixed(0)).join(', ')}; main thread busy ${r.main_thread_ms.toFixed(0)} ms; CPU ${r.cpu_ms.toFixed(0)} ms; load average ${r.load_average.map((x) => x.toFixed(1)).join(' ')})`,
    `budget ≤ ${r.budget.bytes / 1e6} MB and ≤ ${r.budget.ready_ms} ms: ${r.budget.met ? 'met' : 'NOT met'}`,
  ].join('\n');
}
