import { existsSync, readFileSync } from 'node:fs';
import { parseWith, PaperLineSchema, regimenError, type PaperFillLine, type PaperOpenLine } from '@regimen/core';

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
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const whole = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  let open: PaperOpenLine | undefined;
  const fills: PaperFillLine[] = [];
  whole.split('\n').forEach((line, i) => {
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw regimenError({ code: 'workspace', file, field: `line ${i + 1}`, message: 'not valid JSON: ' + (e as Error).message });
    }
    const l = parseWith(PaperLineSchema, value, { file: `${file}:${i + 1}`, code: 'workspace' });
    if (l.type === 'open') open = l;
    else if (l.type === 'fill') fills.push(l);
  });
  if (!open) return undefined;
  return { file, open, fills };
}
