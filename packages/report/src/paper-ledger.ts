import { existsSync, readFileSync } from 'node:fs';
import { JournalLineSchema, parseWith, PaperLineSchema, regimenError, type PaperFillLine, type PaperOpenLine } from '@regimen/core';

export interface PaperLedgerFile {
  file: string;
  open: PaperOpenLine;
  fills: PaperFillLine[];
}

/**
 * live/paper.jsonl (core's PaperLineSchema), read only: an unterminated final line is a write a
 * killed `regimen paper` left behind — the next call repairs and rewrites it, so the report leaves
 * it out rather than touch the file. Undefined when there is no ledger or it has no bar yet.
 */
export function readPaperLedger(file: string): PaperLedgerFile | undefined {
  let open: PaperOpenLine | undefined;
  const fills: PaperFillLine[] = [];
  for (const l of wholeLines(file, (v, where) => parseWith(PaperLineSchema, v, { file: where, code: 'workspace' }))) {
    if (l.type === 'open') open = l;
    else if (l.type === 'fill') fills.push(l);
  }
  return open ? { file, open, fills } : undefined;
}

/** The decisions in `regimen signal`'s journal: count, first and last bar time (a workspace decided on but not paper-traded). */
export function readJournalDecisions(file: string): { count: number; first: string; last: string } | undefined {
  const times = wholeLines(file, (v, where) => parseWith(JournalLineSchema, v, { file: where, code: 'workspace' })).flatMap((l) => (l.type === 'decision' ? [l.decision.time] : []));
  return times.length ? { count: times.length, first: times[0]!, last: times[times.length - 1]! } : undefined;
}

/** Every complete line of a JSON-lines file, validated; [] for a missing file. */
function wholeLines<T>(file: string, parse: (value: unknown, where: string) => T): T[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const whole = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  const out: T[] = [];
  whole.split('\n').forEach((line, i) => {
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw regimenError({ code: 'workspace', file, field: `line ${i + 1}`, message: 'not valid JSON: ' + (e as Error).message });
    }
    out.push(parse(value, `${file}:${i + 1}`));
  });
  return out;
}
