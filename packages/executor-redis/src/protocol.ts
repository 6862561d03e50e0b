import { createRequire } from 'node:module';
import { z } from 'zod';
import { TrialSpecSchema } from '@regimen/core';

/**
 * What goes over the wire, and where it lives in Redis. Everything a worker reads is validated
 * here before use, and everything the coordinator reads back likewise: Redis is a boundary.
 *
 * Keys (all under `regimen:`; a run's id namespaces its queue and every key of it):
 *   regimen:runs                      sorted set of live run ids (workers discover runs here)
 *   regimen:run:<id>                  the run's manifest (JSON): Regimen version, plugins, queue
 *   regimen:run:<id>:alive            heartbeat of the coordinator (expires when it is gone)
 *   regimen:run:<id>:workers          hash: worker id → its status (attached, or refused and why)
 *   regimen:run:<id>:blob:<sha256>    market data, labels, close, replay legs (Arrow IPC); module
 *                                     tasks (V8 structured-clone bytes) and their large arrays (raw)
 *   regimen:run:<id>:result:<job>     a finished batch's rows (Arrow IPC), a task's return value (V8)
 *   regimen:run:<id>:failure:<job>    why a batch failed (JSON)
 *   regimen:q:<id>:…                  the run's BullMQ queue (jobs carry parameters, never code)
 */
// 3: a module task may name modules (core TaskModuleLink), sent as package, version and path
export const PROTOCOL = 3;

export const REGIMEN_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

const PREFIX = 'regimen';
export const QUEUE_PREFIX = `${PREFIX}:q`;

export const keys = {
  runs: `${PREFIX}:runs`,
  run: (run: string) => `${PREFIX}:run:${run}`,
  alive: (run: string) => `${PREFIX}:run:${run}:alive`,
  workers: (run: string) => `${PREFIX}:run:${run}:workers`,
  blob: (run: string, sha: string) => `${PREFIX}:run:${run}:blob:${sha}`,
  result: (run: string, job: string) => `${PREFIX}:run:${run}:result:${job}`,
  failure: (run: string, job: string) => `${PREFIX}:run:${run}:failure:${job}`,
  /** every key of a run but its queue's */
  pattern: (run: string) => `${PREFIX}:run:${run}:*`,
};

/** letters, digits, _ . - (a workflow id) and a random suffix: safe in keys and queue names */
export const RunIdSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,120}$/);
const Sha = z.string().regex(/^[0-9a-f]{64}$/);

export const PluginRefSchema = z
  .object({
    /** how the workflow names it */
    spec: z.string(),
    /** the package a worker must have installed */
    name: z.string(),
    /** its version, or null when it has no package.json */
    version: z.string().nullable(),
  })
  .strict();
export type PluginRef = z.infer<typeof PluginRefSchema>;

export const RunManifestSchema = z
  .object({
    protocol: z.number().int(),
    regimen: z.string(),
    run: RunIdSchema,
    workflow: z.string(),
    /** plugins whose code runs in workers: each worker must have the same package and version */
    plugins: z.array(PluginRefSchema),
    coordinator: z.object({ host: z.string(), pid: z.number().int() }).strict(),
    created: z.string(),
  })
  .strict();
export type RunManifest = z.infer<typeof RunManifestSchema>;

export const WorkerStatusSchema = z
  .object({
    /** host:pid (and a counter when one process runs several workers) */
    id: z.string(),
    host: z.string(),
    pid: z.number().int(),
    regimen: z.string(),
    concurrency: z.number().int().positive(),
    /** attached: takes the run's jobs; refused: does not, for `reason` */
    state: z.enum(['attached', 'refused', 'stopping']),
    reason: z.string().optional(),
    /** ms since the epoch when it last said so */
    seen: z.number(),
  })
  .strict();
export type WorkerStatus = z.infer<typeof WorkerStatusSchema>;

const WindowSchema = z
  .object({ start: z.number().int().min(0), end: z.number().int().min(1) })
  .strict()
  .refine((w) => w.end > w.start, 'window end must be after its start');
const CostsSchema = z.object({ fee: z.number().min(0), slippage: z.number().min(0) }).strict();
const EngineSchema = z.enum(['wasm', 'js']);

export const TrialJobDataSchema = z
  .object({
    kind: z.literal('trials'),
    engine: EngineSchema,
    /** blobs: bars, then one labels blob per regime track */
    market: Sha,
    regimes: z.array(Sha),
    window: WindowSchema,
    trials: z.array(TrialSpecSchema.strict()).min(1),
    costs: CostsSchema,
    barsPerYear: z.number().positive(),
    captureSignals: z.boolean(),
    /** a walk-forward's batch: each fold's window and its own regime tracks (blobs); `regimes` is then empty */
    folds: z.array(z.object({ window: WindowSchema, regimes: z.array(Sha) }).strict()).min(1).optional(),
  })
  .strict();
export type TrialJobData = z.infer<typeof TrialJobDataSchema>;

export const ReplayJobDataSchema = z
  .object({
    kind: z.literal('replay'),
    engine: EngineSchema,
    close: Sha,
    regime: Sha,
    breakdown: z.array(Sha),
    /** per strategy, per regime index: the blob of the chosen trial's signal events, or null (flat) */
    legs: z.array(z.object({ strategy: z.string(), byRegime: z.array(Sha.nullable()) }).strict()).min(1),
    /** per weight set, per regime index, per strategy: the weight */
    weightSets: z.array(z.array(z.array(z.number()))).min(1),
    window: WindowSchema,
    costs: CostsSchema,
    barsPerYear: z.number().positive(),
  })
  .strict();
export type ReplayJobData = z.infer<typeof ReplayJobDataSchema>;

/** a module task (Executor.runTask): the module as a worker finds it, the task's bytes as a blob (task-codec.ts) */
export const TaskJobDataSchema = z
  .object({
    kind: z.literal('task'),
    engine: EngineSchema,
    module: z
      .object({
        package: z.string().min(1).max(214),
        version: z.string().nullable().optional(),
        path: z.string().min(1).max(1000).nullable(),
        specifier: z.string().min(1).max(1000).optional(),
      })
      .strict(),
    task: Sha,
  })
  .strict();
export type TaskJobData = z.infer<typeof TaskJobDataSchema>;

export const JobDataSchema = z.discriminatedUnion('kind', [TrialJobDataSchema, ReplayJobDataSchema, TaskJobDataSchema]);
export type JobData = z.infer<typeof JobDataSchema>;

/** a worker's answer (BullMQ's return value): where the rows are, and where its time went */
export const JobReturnSchema = z
  .object({
    rows: z.number().int().min(0),
    bytes: z.number().int().min(0),
    worker: z.string(),
    seconds: z.object({ backtest: z.number().min(0), files: z.number().min(0) }).strict(),
    /** CPU seconds the worker process spent on the job (its threads', measured there) */
    cpu: z.number().min(0).optional(),
    /** the worker's own costs of the batch beyond its backtests: fetching its data, encoding and storing its rows, the whole batch */
    overhead: z.object({ fetch: z.number().min(0), encode: z.number().min(0), store: z.number().min(0), total: z.number().min(0) }).strict().optional(),
  })
  .strict();
export type JobReturn = z.infer<typeof JobReturnSchema>;

/** why a batch failed, with the code and field of a RegimenError (a bad parameter stays a config error) */
export const FailureSchema = z
  .object({
    code: z.enum(['config', 'data', 'workspace', 'plugin', 'usage', 'interrupted', 'internal', 'unavailable']),
    message: z.string(),
    field: z.string().optional(),
    value: z.unknown().optional(),
  })
  .strict();

/** how long results, failures and blobs outlive a coordinator that vanished without cleaning up */
export const ORPHAN_TTL_S = 3600;
