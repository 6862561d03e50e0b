import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseInterval, TIME_FORMATS, type LoadOptions, type PriceSpec } from '@regimen/data';

/** The flags of workflow.data's reading choices, as the data package takes them. */
export interface ReadingFlags {
  column?: string;
  price?: PriceSpec;
  timeColumn?: string;
  timeFormat?: LoadOptions['timeFormat'];
  timezone?: string;
  duplicates?: LoadOptions['duplicates'];
  resample?: string;
}

/** `--price close` or `--price mid:bid,ask` */
export function priceOption(v: string): PriceSpec {
  if (!v.startsWith('mid:')) return v;
  const parts = v.slice(4).split(',');
  if (parts.length !== 2 || parts.some((p) => p.trim() === '')) throw new InvalidArgumentError(`--price mid wants two columns, mid:bid,ask; got "${v}"`);
  return { mid: [parts[0]!.trim(), parts[1]!.trim()] };
}

function intervalOption(v: string): string {
  if (parseInterval(v) === null) throw new InvalidArgumentError(`--resample wants an interval such as 30s, 5min, 1h or 1d, got "${v}"`);
  return v;
}

/** Adds the reading flags (the same choices as workflow.data) to a command. */
export function addReadingOptions(cmd: Command, opts: { column?: boolean } = {}): Command {
  if (opts.column !== false) cmd.option('--column <name>', 'price column (default close)');
  return cmd
    .option('--price <column|mid:bid,ask>', 'the price: a column, or the mid of two columns', priceOption)
    .option('--time-column <name>', 'the time key column, any position (default: the first, named date|timestamp|time|datetime|bar)')
    .addOption(new Option('--time-format <format>', 'how the time key is written (default iso)').choices(TIME_FORMATS as string[]))
    .option('--timezone <zone>', 'IANA zone of date-times written without Z or an offset')
    .addOption(new Option('--duplicates <policy>', 'rows repeating the previous time: error (default), keep the first or the last, or all (with --resample, the default there)').choices(['error', 'first', 'last', 'all']))
    .option('--resample <interval>', 'OHLC bars of this interval (30s, 5min, 1h, 1d), stamped at the interval end', intervalOption);
}

export function readingOptions(f: ReadingFlags): LoadOptions {
  return {
    column: f.column,
    price: f.price,
    timeColumn: f.timeColumn,
    timeFormat: f.timeFormat,
    timezone: f.timezone,
    duplicates: f.duplicates,
    resample: f.resample ? { every: f.resample } : undefined,
  };
}
