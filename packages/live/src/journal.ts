import { join } from 'node:path';
import { JournalLineSchema, type JournalLine } from '@regimen/core';
import { appendJsonLines, readJsonLines, repairTail } from './jsonl.js';

export const journalPath = (stateDir: string): string => join(stateDir, 'decisions.jsonl');

/**
 * A journal line is one JSON object and its newline, written by one write() and made durable by
 * fsync before anything else is written: a killed process leaves at worst one unterminated final
 * line. `repairJournal` cuts that torn tail (it was never acknowledged, so the bar it was for is
 * still "new" and the next call decides it again) and returns how many bytes it removed.
 * (The paper ledger is the same kind of file: both go through jsonl.ts.)
 */
export const repairJournal = (stateDir: string): number => repairTail(journalPath(stateDir));

/** Every line of the journal, validated (a torn final line is repaired first). */
export const readJournal = (stateDir: string): JournalLine[] => readJsonLines(journalPath(stateDir), JournalLineSchema);

/** Append lines, each complete with its newline, in one write, then fsync. */
export function appendJournal(stateDir: string, lines: JournalLine[]): void {
  appendJsonLines(journalPath(stateDir), JournalLineSchema, lines);
}
