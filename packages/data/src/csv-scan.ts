import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { regimenError } from '@regimen/core';
import { latin1, parseDecimal } from './decimal.js';
import type { TimeReader } from './time-reader.js';

/**
 * A streaming CSV reader that parses the cells it is asked for straight from the file's bytes into
 * typed columns: no string per cell, no array per row, the file never whole in memory (it is read
 * in 1 MiB pieces). Comma separated, one header row, blank lines skipped, spaces around cells
 * trimmed, CRLF or LF, a UTF-8 byte-order mark ignored, RFC 4180 quotes within a line ("a,b" and
 * "" for a quote). A quoted cell spanning lines is refused, naming the line. `benchmarks/src/
 * data-suite.ts` compares it with csv-parse, papaparse, d3-dsv, udsv and csv-parser.
 */

const CHUNK = 1 << 20;
const NL = 10;
const CR = 13;
const COMMA = 44;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;

export interface CsvHeader {
  file: string;
  /** column names as written (trimmed, unquoted) */
  names: string[];
  /** byte offset of the line after the header */
  bodyStart: number;
  /** 1-based line number of that line */
  bodyLine: number;
  /** file size in bytes */
  size: number;
}

/** What to do with each column: skip it, read it as a number, as the time key, or keep its text. */
export type CsvCellKind = 'skip' | 'number' | 'time' | 'text';

export interface CsvScanPlan {
  kinds: CsvCellKind[];
  time?: TimeReader;
}

export interface CsvColumns {
  rows: number;
  time: Float64Array;
  /** by column index, for columns planned as `number` */
  numbers: Map<number, Float64Array>;
  /** by column index, for columns planned as `text` */
  texts: Map<number, string[]>;
  /** 1-based line of row i */
  lineOf(i: number): number;
}

function openFile(file: string): number {
  try {
    return openSync(file, 'r');
  } catch (e) {
    throw regimenError({ code: 'data', file, message: `cannot read market data (${(e as NodeJS.ErrnoException).code ?? 'error'})`, cause: e });
  }
}

function isBlank(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c !== SPACE && c !== TAB && c !== CR) return false;
  }
  return true;
}

/** One cell's bytes [a, z) (trimmed, inside the quotes if quoted); `error` when its quotes are broken. */
interface Cell {
  a: number;
  z: number;
  quoted: boolean;
  error: string | null;
}

/**
 * Finds the cell starting at p of the line ending at `end` and writes its bounds into `cell`;
 * returns where the next cell starts, or -1 when this was the line's last cell.
 */
function nextCell(b: Uint8Array, p: number, end: number, cell: Cell): number {
  while (p < end && (b[p] === SPACE || b[p] === TAB)) p++;
  cell.quoted = false;
  cell.error = null;
  if (p < end && b[p] === QUOTE) {
    const close = closingQuote(b, p, end);
    if (close < 0) {
      cell.error = 'a quoted cell does not end on its line';
      return -1;
    }
    cell.quoted = true;
    cell.a = p + 1;
    cell.z = close;
    p = close + 1;
    while (p < end && (b[p] === SPACE || b[p] === TAB)) p++;
    if (p < end && b[p] !== COMMA) cell.error = 'text after a closing quote';
  } else {
    cell.a = p;
    while (p < end && b[p] !== COMMA) p++;
    let z = p;
    while (z > cell.a && (b[z - 1] === SPACE || b[z - 1] === TAB)) z--;
    cell.z = z;
  }
  return p >= end ? -1 : p + 1;
}

const newCell = (): Cell => ({ a: 0, z: 0, quoted: false, error: null });

/** Cell boundaries of one line [start, end) (end excludes CR/LF); quotes honoured, spaces trimmed. */
function splitCells(b: Uint8Array, start: number, end: number, fail: (why: string) => never): Array<[number, number, boolean]> {
  const cells: Array<[number, number, boolean]> = [];
  const cell = newCell();
  let p = start;
  do {
    p = nextCell(b, p, end, cell);
    if (cell.error) fail(cell.error);
    cells.push([cell.a, cell.z, cell.quoted]);
  } while (p >= 0);
  return cells;
}

/** Index of the quote closing the one at `open`, skipping doubled quotes; -1 if none on the line. */
function closingQuote(b: Uint8Array, open: number, end: number): number {
  for (let i = open + 1; i < end; i++) {
    if (b[i] !== QUOTE) continue;
    if (i + 1 < end && b[i + 1] === QUOTE) i++;
    else return i;
  }
  return -1;
}

function cellText(b: Uint8Array, [a, z, quoted]: [number, number, boolean]): string {
  const s = Buffer.from(b.buffer, b.byteOffset + a, z - a).toString('utf8');
  return quoted ? s.replaceAll('""', '"') : s;
}

/** Reads lines of a file in pieces; `next()` gives [start, end) of the next line in `buf`, or null at the end. */
class LineReader {
  buf: Uint8Array = Buffer.alloc(CHUNK);
  private filled = 0;
  private pos = 0;
  private eof = false;
  /** bytes of the file before buf[0] */
  private base: number;
  line: number;

  constructor(private fd: number, offset: number, firstLine: number) {
    this.base = offset;
    this.line = firstLine - 1;
  }

  /** file offset of the byte at buf[i] */
  offsetOf(i: number): number {
    return this.base + i;
  }

  private fill(): void {
    if (this.pos > 0) {
      this.buf.copyWithin(0, this.pos, this.filled);
      this.base += this.pos;
      this.filled -= this.pos;
      this.pos = 0;
    }
    if (this.filled === this.buf.length) {
      const bigger = Buffer.alloc(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    const n = readSync(this.fd, this.buf, this.filled, this.buf.length - this.filled, this.base + this.filled);
    if (n === 0) this.eof = true;
    this.filled += n;
  }

  /** The next line as [start, end) in buf, CR/LF excluded; valid until the next call. */
  next(out: [number, number]): boolean {
    for (;;) {
      const nl = (this.buf as Buffer).indexOf(NL, this.pos);
      if (nl >= 0 && nl < this.filled) {
        out[0] = this.pos;
        out[1] = nl > this.pos && this.buf[nl - 1] === CR ? nl - 1 : nl;
        this.pos = nl + 1;
        this.line++;
        return true;
      }
      if (this.eof) {
        if (this.pos >= this.filled) return false;
        out[0] = this.pos;
        out[1] = this.buf[this.filled - 1] === CR ? this.filled - 1 : this.filled;
        this.pos = this.filled;
        this.line++;
        return true;
      }
      this.fill();
    }
  }
}

/** The header (first non-blank line) and where the body starts; reads only the first bytes of the file. */
export function readCsvHeader(file: string): CsvHeader {
  const fd = openFile(file);
  try {
    const size = fstatSync(fd).size;
    const lines = new LineReader(fd, 0, 1);
    const at: [number, number] = [0, 0];
    while (lines.next(at)) {
      let [a] = at;
      const z = at[1];
      if (lines.line === 1 && lines.buf[0] === 0xef && lines.buf[1] === 0xbb && lines.buf[2] === 0xbf) a += 3;
      if (isBlank(lines.buf, a, z)) continue;
      const fail = (why: string): never => {
        throw regimenError({ code: 'data', file, field: 'header', message: `not a readable CSV at line ${lines.line}: ${why}` });
      };
      const names = splitCells(lines.buf, a, z, fail).map((c) => cellText(lines.buf, c));
      return { file, names, bodyStart: lines.offsetOf(z) + (lines.buf[z] === CR ? 2 : 1), bodyLine: lines.line + 1, size };
    }
    throw regimenError({ code: 'data', file, message: 'empty file: expected a header row and data rows' });
  } finally {
    closeSync(fd);
  }
}

function linesCells(header: CsvHeader, pick: (line: number) => boolean): string[] {
  const fd = openFile(header.file);
  try {
    const lines = new LineReader(fd, header.bodyStart, header.bodyLine);
    const at: [number, number] = [0, 0];
    while (lines.next(at)) {
      if (isBlank(lines.buf, at[0], at[1]) || !pick(lines.line)) continue;
      return splitCells(lines.buf, at[0], at[1], (why) => {
        throw new Error(why);
      }).map((c) => cellText(lines.buf, c));
    }
    return [];
  } finally {
    closeSync(fd);
  }
}

/** The cells of one line, as text, for messages (found by reading the file again: errors only). */
export function csvLineCells(header: CsvHeader, line: number): string[] {
  return linesCells(header, (l) => l === line);
}

/** The cells of the first data row, as text (to tell number columns from text ones). */
export function csvFirstRow(header: CsvHeader): string[] {
  return linesCells(header, () => true);
}

/** Row → line when blank lines were skipped: rows from `row[k]` on sit `extra[k]` lines further down. */
class LineMap {
  private row: number[] = [];
  private extra: number[] = [];
  constructor(private first: number) {}
  skip(nextRow: number): void {
    const k = this.row.length;
    if (k > 0 && this.row[k - 1] === nextRow) this.extra[k - 1]!++;
    else {
      this.row.push(nextRow);
      this.extra.push((k > 0 ? this.extra[k - 1]! : 0) + 1);
    }
  }
  lineOf(i: number): number {
    let lo = 0;
    let hi = this.row.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.row[mid]! <= i) lo = mid + 1;
      else hi = mid;
    }
    return this.first + i + (lo > 0 ? this.extra[lo - 1]! : 0);
  }
}

/**
 * Reads the body once, parsing only the planned columns. Every bad cell is one error naming the
 * file, the column and the line.
 */
export function scanCsvBody(header: CsvHeader, plan: CsvScanPlan): CsvColumns {
  const { file, names } = header;
  const ncols = names.length;
  const kinds = plan.kinds.map((k) => (k === 'skip' ? 0 : k === 'number' ? 1 : k === 'time' ? 2 : 3));
  const time = plan.time;
  let capacity = 1024;
  let timeOut = new Float64Array(capacity);
  const numberCols = new Map<number, Float64Array>();
  const textCols = new Map<number, string[]>();
  kinds.forEach((k, j) => {
    if (k === 1) numberCols.set(j, new Float64Array(capacity));
    if (k === 3) textCols.set(j, []);
  });
  const slots: Float64Array[] = new Array(ncols);
  const refreshSlots = () => numberCols.forEach((v, j) => (slots[j] = v));
  refreshSlots();
  const grow = (n: number) => {
    capacity = n;
    const bigger = (a: Float64Array) => {
      const c = new Float64Array(n);
      c.set(a);
      return c;
    };
    timeOut = bigger(timeOut);
    numberCols.forEach((v, j) => numberCols.set(j, bigger(v)));
    refreshSlots();
  };

  const fd = openFile(file);
  const lines = new LineReader(fd, header.bodyStart, header.bodyLine);
  const map = new LineMap(header.bodyLine);
  const at: [number, number] = [0, 0];
  const cell = newCell();
  let rows = 0;
  let estimated = false;
  const bad = (j: number, text: string, message: string): never => {
    throw regimenError({ code: 'data', file, field: names[j], value: text, message: `line ${lines.line}: ${message}` });
  };
  try {
    while (lines.next(at)) {
      const b = lines.buf;
      const start = at[0];
      const end = at[1];
      if (isBlank(b, start, end)) {
        map.skip(rows);
        continue;
      }
      if (rows === capacity) {
        // after the first thousand rows the bytes per row are known: size the columns for the whole file
        const perRow = (lines.offsetOf(end) - header.bodyStart) / rows;
        grow(estimated ? Math.ceil(capacity * 1.5) : Math.max(2 * capacity, Math.ceil(((header.size - header.bodyStart) / perRow) * 1.02) + 16));
        estimated = true;
      }
      let j = 0;
      let p = start;
      do {
        p = nextCell(b, p, end, cell);
        if (cell.error) throw regimenError({ code: 'data', file, message: `not a readable CSV at line ${lines.line}: ${cell.error}` });
        const { a, z } = cell;
        if (j < ncols) {
          const kind = kinds[j];
          if (kind === 1) {
            const v = parseDecimal(b, a, z);
            if (v !== v) bad(j, latin1(b, a, z), a === z ? 'empty cell' : 'not a finite number');
            slots[j]![rows] = v;
          } else if (kind === 2) {
            const t = time!.read(b, a, z, rows);
            if (t !== t) {
              const text = latin1(b, a, z);
              bad(j, text, a === z ? 'empty time' : `unparsable time: ${time!.reason(text)}`);
            }
            timeOut[rows] = t;
          } else if (kind === 3) {
            textCols.get(j)!.push(cellText(b, [a, z, cell.quoted]));
          }
        }
        j++;
      } while (p >= 0);
      if (j !== ncols) {
        throw regimenError({ code: 'data', file, message: `not a readable CSV at line ${lines.line}: ${j} cells, but the header has ${ncols}` });
      }
      rows++;
    }
  } finally {
    closeSync(fd);
  }
  // keep the columns only as long as the data (a view when the estimate was close, else a copy)
  const fit = (a: Float64Array) => (a.length - rows > rows / 8 ? a.slice(0, rows) : a.subarray(0, rows));
  numberCols.forEach((v, j) => numberCols.set(j, fit(v)));
  return { rows, time: fit(timeOut), numbers: numberCols, texts: textCols, lineOf: (i) => map.lineOf(i) };
}
