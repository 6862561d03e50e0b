import { regimenError } from '@regimen/core';

export type EngineName = 'wasm' | 'js';

export interface BenchOptions {
  /** generated random-walk length when no --prices file is given */
  bars: number;
  /** CSV with a `close` column, or an Arrow IPC file with a `close` column */
  prices?: string;
  workers: number;
  engine: EngineName;
  json: boolean;
  seed: number;
  /** timed runs; the median is reported */
  repeat: number;
  /** scaling suite grid: comma lists */
  barsList?: number[];
  trialsList?: number[];
  /** phase1 suite: number of trials */
  trials: number;
  /** replay suite: number of weight sets */
  weightSets: number;
  /** directory for the JSON result (default benchmarks/out) */
  out?: string;
  /** workflow suite: the workflow file to run (default examples/seed-workflow.yaml) */
  config?: string;
  /** distributed suite: a Redis to use (default: a redis-server started on a free loopback port) */
  redis?: string;
  /** walk-forward suite: number of folds */
  folds: number;
  /** walk-forward suite: the regime analysis' pbo_blocks for both runs (default: the workflow's) — fewer blocks, far fewer CSCV splits */
  pboBlocks?: number;
  /** report suite: the workspace to report on (default: the seed workflow on the embedded data) */
  workspace?: string;
  /** replay suite: each timed sample repeats its work for at least this many seconds (0: once) */
  sampleSeconds: number;
  /** search suite: only the spaces whose name contains this */
  space?: string;
  /** search suite: only these methods (comma list of their names) */
  methods?: string[];
  /** speedup and distributed --universe: the first N series of the universe (default all 30) */
  series?: number;
  /** speedup suite: the worker process counts to run (default 1,2,4) */
  workersList?: number[];
  /** speedup suite: series run end to end to measure the coordinator's analysis per series (0: skip) */
  analysisSeries: number;
  /** distributed suite: the Dow universe end to end through Redis vs the local pool */
  universe: boolean;
}

const DEFAULTS: BenchOptions = { bars: 1_000_000, workers: 2, engine: 'wasm', json: false, seed: 1, repeat: 1, trials: 2000, weightSets: 200, folds: 6, sampleSeconds: 2, analysisSeries: 1, universe: false };

function positiveInt(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < 1) {
    throw regimenError({ code: 'usage', field: flag, value: v, message: `${flag} needs a positive integer` });
  }
  return n;
}

/** `--config FILE --redis URL --folds N --pbo-blocks N --bars N (--rows N, the same) --prices FILE --workers N --engine wasm|js --json --seed N --repeat N --bars-list a,b --trials-list a,b --trials N --weight-sets N --out DIR --workspace DIR --sample-seconds S --space NAME --methods a,b --series N --workers-list a,b --analysis-series N --universe` */
export function parseBenchArgs(argv: readonly string[], base: Partial<BenchOptions> = {}): BenchOptions {
  const o: BenchOptions = { ...DEFAULTS, ...base };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const [name, inline] = flag.startsWith('--') && flag.includes('=') ? flag.split(/=(.*)/s) : [flag, undefined];
    const value = () => inline ?? argv[++i];
    switch (name) {
      case '--bars': o.bars = positiveInt(name, value()); break;
      case '--rows': o.bars = positiveInt(name, value()); break;
      case '--prices': o.prices = value(); break;
      case '--workers': o.workers = positiveInt(name, value()); break;
      case '--seed': o.seed = positiveInt(name, value()); break;
      case '--repeat': o.repeat = positiveInt(name, value()); break;
      case '--trials': o.trials = positiveInt(name, value()); break;
      case '--weight-sets': o.weightSets = positiveInt(name, value()); break;
      case '--json': o.json = true; break;
      case '--out': o.out = value(); break;
      case '--config': o.config = value(); break;
      case '--redis': o.redis = value(); break;
      case '--folds': o.folds = positiveInt(name, value()); break;
      case '--pbo-blocks': o.pboBlocks = positiveInt(name, value()); break;
      case '--workspace': o.workspace = value(); break;
      case '--sample-seconds': {
        const v = value();
        o.sampleSeconds = Number(v);
        if (v === undefined || v.trim() === '' || !(o.sampleSeconds >= 0)) throw regimenError({ code: 'usage', field: name, value: v, message: `${name} needs a number of seconds (0 or more)` });
        break;
      }
      case '--space': o.space = value(); break;
      case '--methods': o.methods = (value() ?? '').split(','); break;
      case '--bars-list': o.barsList = (value() ?? '').split(',').map((v) => positiveInt(name, v)); break;
      case '--trials-list': o.trialsList = (value() ?? '').split(',').map((v) => positiveInt(name, v)); break;
      case '--workers-list': o.workersList = (value() ?? '').split(',').map((v) => positiveInt(name, v)); break;
      case '--series': o.series = positiveInt(name, value()); break;
      case '--analysis-series': {
        const v = value();
        o.analysisSeries = Number(v);
        if (v === undefined || !Number.isInteger(o.analysisSeries) || o.analysisSeries < 0) throw regimenError({ code: 'usage', field: name, value: v, message: `${name} needs a whole number (0 or more)` });
        break;
      }
      case '--universe': o.universe = true; break;
      case '--engine': {
        const e = value();
        if (e !== 'wasm' && e !== 'js') throw regimenError({ code: 'usage', field: '--engine', value: e, message: 'engine must be wasm or js' });
        o.engine = e;
        break;
      }
      default:
        throw regimenError({ code: 'usage', field: flag, message: 'unknown benchmark option' });
    }
  }
  return o;
}
