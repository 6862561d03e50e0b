import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { embeddedDataPath } from '@regimen/data';
import { cli } from '../test/harness.js';


// set up at load time: the case table below writes its data files while it is built
const dir = mkdtempSync(join(tmpdir(), 'regimen-bad-'));
const prices = readFileSync(embeddedDataPath(), 'utf8').trim().split('\n');
const BASE = (o: { data?: string; extra?: string; strategies?: string; classifiers?: string; p1?: string; pa?: string; pe?: string; pv?: string; split?: string } = {}) => `workflow:
  seed: 3
  data: { path: ${o.data ?? 'prices.csv'}${o.split ? `, split: ${o.split}` : ''} }
  strategies:
${o.strategies ?? `    strategy_1: { type: momentum }
    strategy_2: { type: mean_reversion }`}
  classifiers:
${o.classifiers ?? `    hmm: { options: { states: 2, restarts: 1 } }`}
${o.extra ?? ''}
  phases:
    - name: parameter_discovery
      config: ${o.p1 ?? '{ parameter_space: { lookback: [10, 20], threshold: [0.01] } }'}
    - name: regime_analysis
      config: ${o.pa ?? '{ metrics: [sharpe] }'}
    - name: ensemble_optimization
      config: ${o.pe ?? '{ algorithm: grid }'}
    - name: validation
      config: ${o.pv ?? '{ data_split: test }'}
`;

function csv(name: string, edit: (rows: string[]) => string[]): string {
  const rows = edit(prices.slice(1, 401));
  writeFileSync(join(dir, name), [prices[0], ...rows].join('\n') + '\n');
  return name;
}

csv('prices.csv', (r) => r);
// quote ticks as users have them: the time key in second place, zone-less times, bid and ask
writeFileSync(join(dir, 'ticks.csv'), ['seq,timestamp,contributor,bid,ask', ...prices.slice(1, 401).map((row, i) => {
  const [date, close] = row.split(',');
  return `${i},${date}T10:00,ABC,${close},${(Number(close) * 1.001).toFixed(4)}`;
})].join('\n') + '\n');
writeFileSync(join(dir, 'dst.csv'), 'time,close\n2021-03-14T01:30,1\n2021-03-14T02:30,2\n2021-03-14T03:30,3\n');
// a universe's file: two price columns, a text column, and a gap in one column far down the file
writeFileSync(join(dir, 'tickers.csv'), ['date,AA,BB,note,CC', ...prices.slice(1, 401).map((row, i) => {
  const [date, close] = row.split(',');
  return `${date},${close},${Number(close) * 2},tag,${i === 300 ? 'n/a' : close}`;
})].join('\n') + '\n');
const universe = (keys: string) => BASE().replace('data: { path: prices.csv }', `data: { ${keys} }`);
const data = (keys: string, file = 'ticks.csv') => BASE().replace('path: prices.csv', `path: ${file}, ${keys}`);
afterAll(() => vi.restoreAllMocks());

/** `nothing`: the workspace folder must not even exist afterwards */
type Case = { name: string; yaml?: string; args?: (cfg: string, ws: string) => string[]; setup?: (ws: string) => Promise<void> | void; expect: RegExp; nothing?: boolean };
const cases: Case[] = [
  // ---- the workflow file
  { name: 'YAML syntax error', yaml: 'workflow:\n  phases: [\n', expect: /case\d+\.yaml.*invalid YAML/ },
  { name: 'unknown top-level key', yaml: BASE().replace('workflow:', 'workflows:'), expect: /case\d+\.yaml: workflow/ },
  { name: 'misspelt workflow key', yaml: BASE({ extra: '  outptu_dir: x' }), expect: /outptu_dir/ },
  { name: 'no phases', yaml: 'workflow:\n  seed: 1\n', expect: /workflow\.phases/ },
  { name: 'empty phase list', yaml: 'workflow:\n  phases: []\n', expect: /workflow\.phases/ },
  { name: 'unknown phase', yaml: BASE().replace('name: regime_analysis', 'name: analysis'), expect: /phases\[1\]\.name.*analysis/ },
  { name: 'phase twice', yaml: BASE().replace('    - name: regime_analysis\n      config: { metrics: [sharpe] }', '    - name: validation'), expect: /phases\[3\]\.name.*twice/ },
  { name: 'phases out of order', yaml: BASE().replace('    - name: regime_analysis\n      config: { metrics: [sharpe] }\n', '') + '    - name: regime_analysis\n', expect: /workflow\.phases.*order/ },
  { name: 'seed not a number', yaml: BASE().replace('seed: 3', 'seed: abc'), expect: /workflow\.seed.*"abc"/ },
  { name: 'negative fee', yaml: BASE({ extra: '  costs: { fee: -1 }' }), expect: /costs\.fee.*-1/ },
  { name: 'train fraction above 1', yaml: BASE({ split: '{ train_fraction: 1.5 }' }), expect: /train_fraction.*1\.5/ },
  { name: 'both split rules', yaml: BASE({ split: '{ train_fraction: 0.5, test_start: "1999-01-01" }' }), expect: /split.*not both/ },
  { name: 'empty test split', yaml: BASE({ split: '{ test_start: "2100-01-01" }' }), expect: /test_start/ },
  { name: 'unknown strategy type', yaml: BASE({ strategies: '    s: { type: momentumm }' }), expect: /momentumm/ },
  { name: 'misspelt strategy parameter', yaml: BASE({ p1: '{ parameter_space: { lookbak: [10], threshold: [0.01] } }' }), expect: /lookbak/ },
  { name: 'invalid parameter value', yaml: BASE({ p1: '{ parameter_space: { lookback: [0], threshold: [0.01] } }' }), expect: /lookback.*0/ },
  { name: 'range without step', yaml: BASE({ p1: '{ parameter_space: { lookback: { min: 5, max: 10 }, threshold: [0.01] } }' }), expect: /lookback.*step or count/ },
  { name: 'constraint syntax', yaml: BASE({ strategies: '    s: { type: sma_crossover, constraints: ["fast <"], parameter_space: { fast: [5], slow: [20] } }' }), expect: /fast </ },
  { name: 'constraint unknown name', yaml: BASE({ strategies: '    s: { type: sma_crossover, constraints: ["fast < slowe"], parameter_space: { fast: [5], slow: [20] } }' }), expect: /slowe/ },
  { name: 'constraints leave nothing', yaml: BASE({ strategies: '    s: { type: sma_crossover, constraints: ["fast > slow"], parameter_space: { fast: [5], slow: [20] } }' }), expect: /workflow\.strategies\.s.*no parameter set/ },
  { name: 'no parameter space', yaml: BASE({ p1: '{ algorithm: grid }' }), expect: /parameter_space/ },
  { name: 'unknown classifier', yaml: BASE({ classifiers: '    hmmm: {}' }), expect: /classifier "hmmm"/ },
  { name: 'bad classifier option', yaml: BASE({ classifiers: '    hmm: { options: { states: 0 } }' }), expect: /hmm.*states/ },
  { name: 'unknown classifier option', yaml: BASE({ classifiers: '    hmm: { options: { stats: 2 } }' }), expect: /hmm.*stats/ },
  { name: 'unknown optimizer', yaml: BASE({ p1: '{ algorithm: grdi, parameter_space: { lookback: [10], threshold: [0.01] } }' }), expect: /optimizer "grdi"/ },
  { name: 'bad optimizer option', yaml: BASE({ pe: '{ algorithm: genetic, algorithm_options: { population: 1 } }' }), expect: /population = 1.*genetic/ },
  { name: 'unknown objective metric', yaml: BASE({ pa: '{ metrics: [sharpness] }' }), expect: /sharpness/ },
  { name: 'bad composite objective', yaml: BASE({ pe: '{ objective: "sharpe - 2*" }' }), expect: /objective/ },
  // ---- search budgets, sampled spaces, several objectives (docs/search.md)
  { name: 'a budget of 0 trials', yaml: BASE({ p1: '{ parameter_space: { lookback: [10, 20], threshold: [0.01] }, max_trials: 0 }' }), expect: /parameter_discovery\.config\.max_trials = 0: .*at least 1/, nothing: true },
  { name: 'a phase-3 budget of 0 trials', yaml: BASE({ pe: '{ algorithm: genetic, max_trials: 0 }' }), expect: /ensemble_optimization\.config\.max_trials = 0: .*at least 1/, nothing: true },
  { name: 'a patience of 0', yaml: BASE({ p1: '{ parameter_space: { lookback: [10, 20], threshold: [0.01] }, patience: 0 }' }), expect: /patience = 0/, nothing: true },
  { name: 'a timeout that is not a duration', yaml: BASE({ p1: '{ parameter_space: { lookback: [10, 20], threshold: [0.01] }, timeout: soon }' }), expect: /timeout = "soon": .*duration/, nothing: true },
  { name: 'a log dimension with a non-positive bound', yaml: BASE({ p1: '{ algorithm: random, max_trials: 5, parameter_space: { lookback: { min: 0, max: 50, log: true }, threshold: [0.01] } }' }), expect: /parameter_space\.lookback = .*min > 0/, nothing: true },
  { name: 'a continuous range without a budget', yaml: BASE({ p1: '{ algorithm: random, parameter_space: { lookback: [10], threshold: { min: 0, max: 0.05, type: float } } }' }), expect: /endless search: set max_trials or timeout/, nothing: true },
  { name: 'a continuous range under grid', yaml: BASE({ p1: '{ max_trials: 5, parameter_space: { lookback: [10], threshold: { min: 0, max: 0.05, type: float } } }' }), expect: /threshold.*continuous.*random or genetic/, nothing: true },
  { name: 'constraints a random sampler cannot meet', yaml: BASE({ strategies: '    s: { type: momentum, constraints: ["threshold > 0.04999999"] }', p1: '{ algorithm: random, algorithm_options: { max_attempts: 200 }, max_trials: 5, parameter_space: { lookback: [10], threshold: { min: 0, max: 0.05, type: float } } }' }), expect: /strategies\.s.*feasible region is too small/, nothing: true },
  { name: 'side searched and fixed at once', yaml: BASE({ strategies: '    s: { type: momentum, side: long_short, parameter_space: { lookback: [10], threshold: [0.01], side: [long_only, long_short] } }' }), expect: /strategies\.s\.side = "long_short": .*one place/, nothing: true },
  { name: 'an objective a regime cannot score', yaml: BASE({ pa: '{ objectives: [sharpe, -profit_factor] }' }), expect: /objectives\[1\] = "-profit_factor".*unknown metric "profit_factor"/, nothing: true },
  { name: 'select without objectives', yaml: BASE({ pa: '{ metrics: [sharpe], select: knee }' }), expect: /select = "knee": .*objectives/, nothing: true },
  { name: 'weighted select without a weight per objective', yaml: BASE({ pa: '{ objectives: [sharpe, -max_drawdown], select: weighted, weights: [1] }' }), expect: /weights = \[1\]: .*one weight per objective \(2\)/, nothing: true },
  // ---- the PBO's options: refused before the workspace exists
  { name: 'odd pbo_blocks', yaml: BASE({ pa: '{ metrics: [sharpe], pbo_blocks: 7 }' }), expect: /case\d+\.yaml: workflow\.phases\[1\]\.config\.pbo_blocks = 7: an even number of blocks$/, nothing: true },
  { name: 'pbo_blocks above 20', yaml: BASE({ pa: '{ metrics: [sharpe], pbo_blocks: 22 }' }), expect: /pbo_blocks = 22.*at most 20 blocks/, nothing: true },
  { name: 'pbo_blocks too many for the training window', yaml: BASE({ pa: '{ metrics: [sharpe], pbo_blocks: 20 }', split: '{ train_fraction: 0.2 }' }), expect: /pbo_blocks = 20: the training window has 79 returns: 20 blocks need at least 80/, nothing: true },
  { name: 'pbo_blocks too many for a fold', yaml: BASE({ pa: '{ metrics: [sharpe], pbo_blocks: 20 }', pv: '{ method: walk_forward, folds: 4, in_sample: 60, out_of_sample: 60 }' }), expect: /pbo_blocks = 20: fold 0's training window has 59 returns/, nothing: true },
  { name: 'objective the PBO cannot rank', yaml: BASE({ pa: '{ metrics: [sharpe], objective: bars }' }), expect: /regime_analysis\.config\.objective = "bars".*scores every trial and weight set of a regime the same/, nothing: true },
  { name: 'ensemble objective the PBO cannot rank', yaml: BASE({ pe: '{ algorithm: grid, objective: "2 * bars" }' }), expect: /ensemble_optimization\.config\.objective = "2 \* bars".*no PBO to measure/, nothing: true },
  { name: 'infeasible min_weight', yaml: BASE({ pe: '{ weight_constraints: { sum_to_one: true, min_weight: 0.9 } }' }), expect: /min_weight/ },
  { name: 'validation classifier not configured', yaml: BASE({ pv: '{ classifier: pattern }' }), expect: /validation\.config\.classifier.*pattern/ },
  // ---- walk-forward folds: refused before the workspace exists
  { name: 'walk-forward windows that do not fit the data', yaml: BASE({ pv: '{ method: walk_forward, folds: 4, out_of_sample: 100 }' }), expect: /validation\.config\.out_of_sample = 100: fold 0: its out-of-sample window starts at bar 0 .*no room/, nothing: true },
  { name: 'walk-forward gap that leaves no bars', yaml: BASE({ pv: '{ method: walk_forward, folds: 2, scheme: anchored, out_of_sample: 150, gap: 99 }' }), expect: /validation\.config\.gap.*99.*the gap leaves 1 bars/, nothing: true },
  { name: 'walk-forward list of one fold', yaml: BASE({ pv: '{ method: walk_forward, folds: ["1966-06-01"] }' }), expect: /validation\.config\.folds.*at least two dates/, nothing: true },
  { name: 'walk-forward duration not understood', yaml: BASE({ pv: '{ method: walk_forward, folds: 2, in_sample: "5 fortnights" }' }), expect: /validation\.config\.in_sample.*5 fortnights/, nothing: true },
  { name: 'walk-forward setting without the method', yaml: BASE({ pv: '{ folds: 3 }' }), expect: /validation\.config\.folds.*method: walk_forward/, nothing: true },
  { name: 'plugin package missing', yaml: BASE({ extra: '  plugins: [regimen-no-such-plugin]' }), expect: /regimen-no-such-plugin/ },
  // ---- strategy plugins named in the config
  { name: 'strategy without type or plugin', yaml: BASE({ strategies: '    s: { side: long_short }' }), expect: /workflow\.strategies\.s = .*: a strategy needs a type .* or a plugin/ },
  { name: 'strategy plugin package missing', yaml: BASE({ strategies: '    s: { plugin: regimen-strategy-nope }' }), expect: /workflow\.strategies\.s\.plugin = "regimen-strategy-nope".*cannot find plugin package/ },
  { name: 'strategy plugin package without a strategy', yaml: BASE({ strategies: '    s: { plugin: "@regimen/classifier-hmm" }' }), expect: /workflow\.strategies\.s\.plugin.*the package has no strategy plugin/ },
  { name: 'strategy type the package lacks', yaml: BASE({ strategies: '    s: { plugin: "@regimen/strategy-sma-cross", type: ema }' }), expect: /workflow\.strategies\.s\.type = "ema".*has no such strategy \(it has: sma-cross\)/ },
  { name: 'strategy plugin parameter unknown', yaml: BASE({ strategies: '    s: { plugin: "@regimen/strategy-sma-cross", parameter_space: { fast: [5], slowe: [20] } }' }), expect: /workflow\.strategies\.s\.params\.slowe.*sma-cross/ },
  { name: 'strategy plugin parameter invalid', yaml: BASE({ strategies: '    s: { plugin: "@regimen/strategy-sma-cross", parameter_space: { fast: [0], slow: [20] } }' }), expect: /workflow\.strategies\.s\.params\.fast = 0.*sma-cross/ },
  // ---- the data
  { name: 'data file missing', yaml: BASE({ data: 'nope.csv' }), expect: /nope\.csv/ },
  { name: 'unknown price column', yaml: BASE({ extra: '' }).replace('path: prices.csv', 'path: prices.csv, column: adj_close'), expect: /adj_close/ },
  { name: 'unsorted timestamps', yaml: BASE({ data: csv('unsorted.csv', (r) => [r[1]!, r[0]!, ...r.slice(2)]) }), expect: /unsorted\.csv.*line 2/ },
  { name: 'duplicate timestamp', yaml: BASE({ data: csv('dup.csv', (r) => [r[0]!, ...r]) }), expect: /dup\.csv.*duplicate/ },
  { name: 'missing timestamp', yaml: BASE({ data: csv('notime.csv', (r) => [r[0]!, ',' + r[1]!.split(',')[1], ...r.slice(2)]) }), expect: /notime\.csv.*line 3/ },
  { name: 'NaN price', yaml: BASE({ data: csv('nan.csv', (r) => [r[0]!, r[1]!.split(',')[0] + ',NaN', ...r.slice(2)]) }), expect: /nan\.csv.*NaN/ },
  { name: 'zero price', yaml: BASE({ data: csv('zero.csv', (r) => [r[0]!, r[1]!.split(',')[0] + ',0', ...r.slice(2)]) }), expect: /zero\.csv.*line 3/ },
  { name: 'negative price', yaml: BASE({ data: csv('neg.csv', (r) => [r[0]!, r[1]!.split(',')[0] + ',-5', ...r.slice(2)]) }), expect: /neg\.csv.*-5/ },
  { name: 'unknown time_column', yaml: data('time_column: when'), expect: /ticks\.csv: time_column = "when": no such column/ },
  { name: 'zone-less time without a timezone', yaml: data('time_column: timestamp, price: { mid: [bid, ask] }'), expect: /ticks\.csv: timestamp = "1966-01-04T10:00": line 2: .*without a time zone/ },
  { name: 'unknown time zone', yaml: data('time_column: timestamp, timezone: Mars/Olympus'), expect: /case\d+\.yaml: workflow\.data\.timezone = "Mars\/Olympus": unknown time zone/ },
  { name: 'clock time skipped by DST', yaml: data('timezone: America/New_York', 'dst.csv'), expect: /dst\.csv: time = "2021-03-14T02:30": line 3: .*does not exist in America\/New_York/ },
  { name: 'unknown mid price column', yaml: data('time_column: timestamp, timezone: UTC, price: { mid: [bid, askk] }'), expect: /ticks\.csv: price\.mid = "askk": no price column/ },
  { name: 'non-numeric price column', yaml: data('time_column: timestamp, timezone: UTC, price: contributor'), expect: /ticks\.csv: contributor = "ABC": line 2: not a finite number/ },
  { name: 'resample leaving one bar', yaml: data('resample: { every: 100000d }', 'prices.csv'), expect: /prices\.csv: resample\.every = "100000d": leaves 1 bar from 400 rows/ },
  { name: 'resample interval unreadable', yaml: data('resample: { every: 5 minutes }', 'prices.csv'), expect: /workflow\.data\.resample\.every.*interval/ },
  { name: 'unknown duplicates policy', yaml: data('duplicates: newest', 'prices.csv'), expect: /workflow\.data\.duplicates.*newest/ },
  { name: 'price and column both', yaml: data('price: close, column: close', 'prices.csv'), expect: /workflow\.data\.price.*not both/ },
  { name: 'universe column that is not numeric', yaml: data('columns: [AA, note]', 'tickers.csv'), expect: /tickers\.csv: columns = "note": not a numeric column/, nothing: true },
  { name: 'universe column unknown', yaml: data('columns: [AA, ZZ]', 'tickers.csv'), expect: /tickers\.csv: columns = "ZZ": no such column; columns available: AA, BB, note, CC/, nothing: true },
  { name: 'universe column with text far down', yaml: data('columns: all', 'tickers.csv').replace('columns: all', 'columns: [AA, CC]'), expect: /tickers\.csv: CC = "n\/a": line 302: not a finite number/, nothing: true },
  { name: 'universe of no columns', yaml: data('columns: []', 'tickers.csv'), expect: /workflow\.data\.columns.*empty universe/, nothing: true },
  { name: 'universe of no files', yaml: universe('paths: []'), expect: /workflow\.data\.paths.*empty universe/, nothing: true },
  { name: 'universe columns and a price column', yaml: data('columns: [AA], column: BB', 'tickers.csv'), expect: /workflow\.data\.columns.*not both/, nothing: true },
  { name: 'universe columns and paths', yaml: data('columns: [AA], paths: [prices.csv]', 'tickers.csv'), expect: /workflow\.data\.paths.*not both/, nothing: true },
  { name: 'universe file missing', yaml: universe('paths: [prices.csv, missing.csv]'), expect: /missing\.csv/, nothing: true },
  { name: 'universe series named twice', yaml: universe('paths: [prices.csv, ./prices.csv]'), expect: /workflow\.data\.paths\[1\] = "\.\/prices\.csv": duplicate series name "prices"/, nothing: true },
  { name: 'universe series name not a folder name', yaml: data('columns: { "../up": AA }', 'tickers.csv'), expect: /workflow\.data\.columns\.\.\.\/up = "AA": series name "\.\.\/up": a series name becomes a folder name/, nothing: true },
  { name: 'too few bars for a lookback', yaml: BASE({ p1: '{ parameter_space: { lookback: [350], threshold: [0.01] } }' }), expect: /training split has 280 bars/ },
  // ---- the workspace and the command line
  { name: 'unwritable output folder', yaml: BASE(), args: (cfg) => ['run', cfg, '--out', '/proc/regimen-ws', '--workers', '0'], expect: /\/proc\/regimen-ws.*cannot create/ },
  { name: 'output folder under a file', yaml: BASE(), args: (cfg) => ['run', cfg, '--out', join(cfg, 'ws'), '--workers', '0'], expect: /case\d+\.yaml\/ws.*ENOTDIR/ },
  { name: '--from-phase without earlier files', yaml: BASE(), args: (cfg, ws) => ['run', cfg, '--out', ws, '--from-phase', 'ensemble_optimization'], expect: /workflow\.json|no earlier run/ },
  { name: '--only-phase unknown', yaml: BASE(), args: (cfg, ws) => ['run', cfg, '--out', ws, '--only-phase', 'everything'], expect: /--only-phase.*everything/ },
  { name: '--workers not a number', yaml: BASE(), args: (cfg, ws) => ['run', cfg, '--out', ws, '--workers', 'two'], expect: /--workers/ },
  { name: 'executor neither local nor Redis', yaml: BASE({ extra: '  executor: ftp://h' }), expect: /case\d+\.yaml: workflow\.executor = "ftp:\/\/h": local, or a redis/ },
  { name: 'executor URL with a bad database', yaml: BASE({ extra: '  executor: redis://u:pw@h/x' }), expect: /case\d+\.yaml: workflow\.executor = "redis:\/\/u:\*\*\*@h\/x": the path must be a database number/ },
  { name: '--executor with an unknown parameter', yaml: BASE(), args: (cfg, ws) => ['run', cfg, '--out', ws, '--executor', 'redis://h?bogus=1'], expect: /--executor = "redis:\/\/h\?bogus=1": unknown parameter "bogus"/ },
  {
    name: 'a workspace file edited into a bad shape',
    yaml: BASE(),
    setup: async (ws) => {
      expect((await cli('run', join(dir, 'good.yaml'), '--out', ws, '--workers', '0')).code).toBe(0);
      writeFileSync(join(ws, 'analysis', 'regime_optimal_params.json'), JSON.stringify({ hmm: { bull: { strategy_1: { params: {}, trial_id: 7 } } } }));
    },
    args: (cfg, ws) => ['run', join(dir, 'good.yaml'), '--out', ws, '--from-phase', 'ensemble_optimization', '--workers', '0', '--quiet'],
    expect: /regime_optimal_params\.json.*hmm\.bull\.strategy_1/,
  },
  {
    name: 'a changed config rerun into the same workspace',
    yaml: BASE().replace('seed: 3', 'seed: 4'),
    setup: async (ws) => {
      expect((await cli('run', join(dir, 'good.yaml'), '--out', ws, '--workers', '0')).code).toBe(0);
    },
    expect: /config changed.*--force/,
  },
];

describe('bad input: one line, exit 2, nothing that looks complete', () => {
  beforeAll(() => writeFileSync(join(dir, 'good.yaml'), BASE()));
  it('has at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));
  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const cfg = join(dir, `case${i}.yaml`);
    writeFileSync(cfg, c.yaml ?? BASE());
    const ws = join(dir, `ws${i}`);
    await c.setup?.(ws);
    const r = await cli(...(c.args ? c.args(cfg, ws) : ['run', cfg, '--out', ws, '--workers', '0', '--quiet']));
    expect(r.code, r.err).toBe(2);
    const lines = r.err.trim().split('\n');
    expect(lines, r.err).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(c.expect);
    expect(r.err).not.toMatch(/\n\s+at /);
    if (!c.setup) expect(existsSync(join(ws, 'checkpoints', 'validation.json'))).toBe(false);
    if (c.nothing) expect(existsSync(ws)).toBe(false);
  });
});
