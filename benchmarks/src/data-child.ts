// One measurement of the data suite, in its own process so peak RSS is its own:
//   node data-child.js load <file>          readMarketData (CSV, Arrow or Parquet)
//   node data-child.js parse <parser> <file> a CSV parser (or parquet-wasm) into typed time/close columns
// Prints one JSON line: { seconds, cpu_seconds, peak_rss_bytes, rows, checksum }.
import { createReadStream, readFileSync } from 'node:fs';
import { readMarketData } from '@regimen/data';

/** The columns every parser fills: epoch-ms time and close, grown by doubling like any loader would. */
class Columns {
  time = new Float64Array(1024);
  close = new Float64Array(1024);
  n = 0;
  push(t: number, c: number): void {
    if (this.n === this.time.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.time = grow(this.time);
      this.close = grow(this.close);
    }
    this.time[this.n] = t;
    this.close[this.n++] = c;
  }
  done(): { time: Float64Array; close: Float64Array } {
    return { time: this.time.subarray(0, this.n), close: this.close.subarray(0, this.n) };
  }
}

// Libraries hand back text cells; what a user writes next is Date.parse and Number.
const row = (cols: Columns, t: string, c: string) => cols.push(Date.parse(t), Number(c));

const parsers: Record<string, (file: string) => Promise<{ time: Float64Array; close: Float64Array }>> = {
  // the baseline: Node and the data package loaded, nothing read
  none: async () => ({ time: new Float64Array(0), close: new Float64Array(0) }),
  async regimen(file) {
    const md = await readMarketData(file);
    return { time: md.bars.time, close: md.bars.close };
  },
  async 'csv-parse'(file) {
    const { parse } = await import('csv-parse');
    const cols = new Columns();
    const stream = createReadStream(file).pipe(parse({ from_line: 2 }));
    for await (const r of stream as AsyncIterable<string[]>) row(cols, r[0]!, r[1]!);
    return cols.done();
  },
  async papaparse(file) {
    const Papa = (await import('papaparse')).default;
    const cols = new Columns();
    let first = true;
    await new Promise<void>((resolve, reject) => {
      Papa.parse<string[]>(createReadStream(file) as unknown as File, {
        chunk: (res) => {
          for (const r of res.data) {
            if (first) {
              first = false;
              continue;
            }
            if (r.length === 2) row(cols, r[0]!, r[1]!);
          }
        },
        complete: () => resolve(),
        error: reject,
      });
    });
    return cols.done();
  },
  async 'd3-dsv'(file) {
    const { csvParseRows } = await import('d3-dsv');
    const cols = new Columns();
    // d3-dsv parses a whole string; it has no streaming API
    csvParseRows(readFileSync(file, 'utf8'), (r, i) => {
      if (i > 0) row(cols, r[0]!, r[1]!);
      return null;
    });
    return cols.done();
  },
  async udsv(file) {
    const { inferSchema, initParser } = await import('udsv');
    const cols = new Columns();
    let parser: ReturnType<typeof initParser> | null = null;
    for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      parser ??= initParser(inferSchema(chunk as string));
      parser.chunk<string[]>(chunk as string, parser.stringArrs, (r) => row(cols, r[0]!, r[1]!));
    }
    parser?.end();
    return cols.done();
  },
  /** the alternative Parquet reader: arrow-rs compiled to WebAssembly, handing an Arrow table to apache-arrow */
  async 'parquet-wasm'(file) {
    const { readParquet } = await import('parquet-wasm');
    const { tableFromIPC } = await import('apache-arrow');
    const table = tableFromIPC(readParquet(readFileSync(file)).intoIPCStream());
    const t = table.getChild('timestamp')!;
    const time = new Float64Array(table.numRows);
    for (let i = 0; i < time.length; i++) time[i] = Number(t.get(i));
    return { time, close: table.getChild('close')!.toArray() as Float64Array };
  },
  async 'csv-parser'(file) {
    const csv = (await import('csv-parser')).default;
    const cols = new Columns();
    const stream = createReadStream(file).pipe(csv({ headers: ['t', 'c'], skipLines: 1 }));
    for await (const r of stream as AsyncIterable<{ t: string; c: string }>) row(cols, r.t, r.c);
    return cols.done();
  },
};

function checksum(time: Float64Array, close: Float64Array): number {
  let s = 0;
  for (let i = 0; i < close.length; i++) s += close[i]! + (time[i]! - time[0]!) / 60_000;
  return s;
}

const [mode, a, b] = process.argv.slice(2);
const parser = mode === 'load' ? parsers.regimen! : parsers[a!];
const file = mode === 'load' ? a! : b!;
if (!parser) throw new Error(`unknown parser ${a}`);
const start = process.hrtime.bigint();
const cpu = process.cpuUsage();
const { time, close } = await parser(file);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const used = process.cpuUsage(cpu);
const cpu_seconds = (used.user + used.system) / 1e6;
process.stdout.write(JSON.stringify({ seconds, cpu_seconds, peak_rss_bytes: process.resourceUsage().maxRSS * 1024, rows: close.length, checksum: checksum(time, close) }) + '\n');
