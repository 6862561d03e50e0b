import type { TimeKind } from './time.js';

/**
 * What a file reader hands to validation: the parsed time key plus access to the other columns by
 * name. Columns are parsed only when asked for, so a wide file (30 tickers) converts one column.
 */
export interface RawSeries {
  /** absolute path, for error messages */
  file: string;
  timeName: string;
  timeKind: TimeKind;
  time: Float64Array;
  /** the time key as written, for messages (`2001-01-03`, not an epoch number) */
  timeText(i: number): string;
  /** every column but the time key, in file order */
  columns: string[];
  /** the column as numbers; a missing or non-numeric cell is a data error naming its row */
  numbers(name: string): Float64Array;
  /** where row i sits in the file, for messages: `line 12` (CSV) or `row 11` (Arrow) */
  where(i: number): string;
}
