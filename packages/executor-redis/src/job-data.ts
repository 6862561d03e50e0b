import type { Redis } from 'ioredis';
import { regimenError, type BarColumns, type FoldWindow, type RegimeTrack, type ReplayBatch } from '@regimen/core';
import { assertSameLength, readEvents, readLabels, readMarket, readSeries } from './blobs.js';
import { sha256 } from './columns.js';
import { keys, type ReplayJobData, type TaskJobData, type TrialJobData } from './protocol.js';
import { arrayFromBytes, decodeTask } from './task-codec.js';
import type { TaskModule } from './compat.js';

/**
 * A worker's side of the published data: each blob is fetched once, checked against the hash it
 * is named by, decoded, and kept (the last few, by hash, whatever run they came from). The same
 * hash gives the same objects every time, so the local pool under the worker shares a market
 * into its WebAssembly memory once, not once per batch.
 */
const KEEP = 16;

export interface JobDataSource {
  trials(run: string, data: TrialJobData): Promise<{ bars: BarColumns; regimes: RegimeTrack[]; folds?: FoldWindow[] }>;
  replay(run: string, data: ReplayJobData): Promise<Omit<ReplayBatch, 'weightSets'>>;
  /** a module task, its outlined arrays in place (each array fetched once and kept, like market data), the modules it names located by `locate` */
  task(run: string, data: TaskJobData, locate: (ref: TaskModule) => string): Promise<unknown>;
}

export function jobDataSource(redis: Redis): JobDataSource {
  const kept = new Map<string, Promise<unknown>>();
  const fetch = <T>(run: string, sha: string, read: (bytes: Uint8Array) => T): Promise<T> => {
    let hit = kept.get(sha) as Promise<T> | undefined;
    if (hit) {
      kept.delete(sha); // most recently used goes last
    } else {
      hit = (async () => {
        const bytes = await redis.getBuffer(keys.blob(run, sha));
        if (!bytes) throw regimenError({ code: 'internal', field: 'blob', value: sha, message: `data ${sha.slice(0, 12)}… of run ${run} is not in Redis` });
        if (sha256(bytes) !== sha) throw regimenError({ code: 'internal', field: 'blob', value: sha, message: `data ${sha.slice(0, 12)}… of run ${run} does not match its hash` });
        return read(bytes);
      })();
      hit.catch(() => kept.delete(sha));
    }
    kept.set(sha, hit);
    while (kept.size > KEEP) kept.delete(kept.keys().next().value as string);
    return hit;
  };
  // the assembled replay data of the last few leg sets, so a run's replay chunks share one object
  const replays = new Map<string, Promise<Omit<ReplayBatch, 'weightSets'>>>();

  return {
    async trials(run, data) {
      const labels = (shas: string[]) => Promise.all(shas.map((sha) => fetch(run, sha, readLabels)));
      const [bars, regimes, foldTracks] = await Promise.all([fetch(run, data.market, readMarket), labels(data.regimes), Promise.all((data.folds ?? []).map((f) => labels(f.regimes)))]);
      assertSameLength(bars, regimes);
      for (const w of [data.window, ...(data.folds ?? []).map((f) => f.window)]) {
        if (w.end > bars.close.length) {
          throw regimenError({ code: 'internal', field: 'window', value: w, message: `the batch's window ends past the ${bars.close.length} bars of its market data` });
        }
      }
      // a fold's tracks label the bars its classifiers may see: at least its window, at most the data
      foldTracks.forEach((tracks, i) => {
        for (const t of tracks) {
          const n = t.labels.length;
          if (n < data.folds![i]!.window.end || n > bars.close.length) {
            throw regimenError({ code: 'internal', field: `regime labels.${t.classifier}`, value: n, message: `regime labels from Redis: ${n} labels for fold ${i}, whose window ends at bar ${data.folds![i]!.window.end} of ${bars.close.length}` });
          }
        }
      });
      // a track named by the same hash in several folds is one object: the pool sends it once
      const folds = data.folds?.map((f, i) => ({ window: f.window, regimes: foldTracks[i]! }));
      return { bars, regimes, ...(folds ? { folds } : {}) };
    },
    async task(run, data, locate) {
      // the task's own bytes are used once: not kept
      const bytes = await redis.getBuffer(keys.blob(run, data.task));
      if (!bytes) throw regimenError({ code: 'internal', field: 'blob', value: data.task, message: `task ${data.task.slice(0, 12)}… of run ${run} is not in Redis` });
      if (sha256(bytes) !== data.task) throw regimenError({ code: 'internal', field: 'blob', value: data.task, message: `task ${data.task.slice(0, 12)}… of run ${run} does not match its hash` });
      return decodeTask(bytes, (ref) => fetch(run, ref.sha, (b) => arrayFromBytes(b, ref)), locate);
    },
    replay(run, data) {
      const key = JSON.stringify([data.close, data.regime, data.breakdown, data.legs, data.window, data.costs, data.barsPerYear]);
      let hit = replays.get(key);
      if (!hit) {
        hit = (async () => {
          const events = (sha: string | null) => (sha ? fetch(run, sha, readEvents) : null);
          const [close, regime, breakdown, legs] = await Promise.all([
            fetch(run, data.close, readSeries),
            fetch(run, data.regime, readLabels),
            Promise.all(data.breakdown.map((sha) => fetch(run, sha, readLabels))),
            Promise.all(data.legs.map(async (l) => ({ strategy: l.strategy, byRegime: await Promise.all(l.byRegime.map(events)) }))),
          ]);
          if (close.length < data.window.end) throw regimenError({ code: 'internal', field: 'window', message: 'the close series is shorter than the replay window' });
          for (const t of [regime, ...breakdown]) {
            if (t.labels.length < data.window.end) throw regimenError({ code: 'internal', field: 'window', message: `regime labels of ${t.classifier} are shorter than the replay window` });
          }
          for (const l of legs) {
            if (l.byRegime.length !== regime.names.length) throw regimenError({ code: 'internal', field: 'legs', value: l.strategy, message: `leg ${l.strategy} has ${l.byRegime.length} regimes, ${regime.classifier} has ${regime.names.length}` });
          }
          return { close, regime, breakdown, legs, window: data.window, costs: data.costs, barsPerYear: data.barsPerYear };
        })();
        hit.catch(() => replays.delete(key));
        replays.set(key, hit);
        while (replays.size > 4) replays.delete(replays.keys().next().value as string);
      }
      return hit;
    },
  };
}

/** Weight sets from JSON back to the kernel's vectors, each checked against the legs and regimes. */
export function weightVectors(data: ReplayJobData, regimes: number): Float64Array[][] {
  return data.weightSets.map((set, i) => {
    if (set.length !== regimes) throw regimenError({ code: 'internal', field: `weightSets[${i}]`, message: `a weight set has ${set.length} regimes, the replay has ${regimes}` });
    return set.map((w, k) => {
      if (w.length !== data.legs.length) throw regimenError({ code: 'internal', field: `weightSets[${i}][${k}]`, message: `a weight vector has ${w.length} weights for ${data.legs.length} strategies` });
      return Float64Array.from(w);
    });
  });
}
