import type { BarColumns, RegimeTrack, ReplayBatch, SignalEvents } from '@regimen/core';

/**
 * Market data and regime labels are copied once into SharedArrayBuffers; a task message then
 * carries views over them, which structured cloning shares instead of copying. So a batch of
 * trials costs one small message, whatever the number of bars.
 */
function sharedF64(a: Float64Array): Float64Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const out = new Float64Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

function sharedU8(a: Uint8Array): Uint8Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const out = new Uint8Array(new SharedArrayBuffer(Math.max(1, a.byteLength)), 0, a.length);
  out.set(a);
  return out;
}

export function shareBars(bars: BarColumns): BarColumns {
  const close = sharedF64(bars.close);
  // close-only data repeats one column as open/high/low: share it once
  const same = (c: Float64Array) => (c === bars.close ? close : sharedF64(c));
  return {
    time: sharedF64(bars.time),
    open: same(bars.open),
    high: same(bars.high),
    low: same(bars.low),
    close,
    ...(bars.volume ? { volume: sharedF64(bars.volume) } : {}),
  };
}

export function shareRegimes(tracks: RegimeTrack[]): RegimeTrack[] {
  return tracks.map((t) => ({ classifier: t.classifier, names: t.names, labels: sharedU8(t.labels) }));
}

function sharedI32(a: Int32Array): Int32Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const out = new Int32Array(new SharedArrayBuffer(Math.max(4, a.byteLength)), 0, a.length);
  out.set(a);
  return out;
}

/**
 * A replay batch's data — close, the labels of every track and the events of every leg — copied
 * once into SharedArrayBuffers, for many replay tasks over different weight sets. A leg object
 * used by several regimes stays one object, as the engine counts distinct legs by identity.
 */
export function shareReplay(batch: ReplayBatch): Omit<ReplayBatch, 'weightSets'> {
  const labels = new Map<Uint8Array, Uint8Array>();
  const track = (t: RegimeTrack): RegimeTrack => {
    let l = labels.get(t.labels);
    if (!l) labels.set(t.labels, (l = sharedU8(t.labels)));
    return { classifier: t.classifier, names: t.names, labels: l };
  };
  const events = new Map<SignalEvents, SignalEvents>();
  const leg = (e: SignalEvents | null): SignalEvents | null => {
    if (e === null) return null;
    let s = events.get(e);
    if (!s) events.set(e, (s = { bar: sharedI32(e.bar), position: sharedF64(e.position) }));
    return s;
  };
  const { weightSets: _w, ...rest } = batch;
  return {
    ...rest,
    close: sharedF64(batch.close),
    regime: track(batch.regime),
    breakdown: batch.breakdown.map(track),
    legs: batch.legs.map((l) => ({ strategy: l.strategy, byRegime: l.byRegime.map(leg) })),
  };
}
