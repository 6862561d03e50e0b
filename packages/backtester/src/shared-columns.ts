import type { BarColumns, RegimeTrack } from '@regimen/core';

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
