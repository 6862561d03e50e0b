/**
 * 64-bit integers as doubles: each word read as two int32 halves, never a BigInt per value.
 * Exact below 2^53 (every epoch-ms time of the next 285,000 years), then times `scale`.
 */
export function int64ToNumbers(values: BigInt64Array | BigUint64Array, out: Float64Array, at: number, scale: number): void {
  const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  const unsigned = values instanceof BigUint64Array;
  for (let i = 0; i < values.length; i++) {
    const hi = unsigned ? halves[2 * i + 1]! >>> 0 : halves[2 * i + 1]!;
    out[at + i] = (hi * 4294967296 + (halves[2 * i]! >>> 0)) * scale;
  }
}
