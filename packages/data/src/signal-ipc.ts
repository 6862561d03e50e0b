import { Builder } from 'flatbuffers';

/**
 * The Arrow IPC file bytes of a `gaps` signal file (signal-events.ts), built directly instead of
 * through apache-arrow's `tableToIPC`.
 *
 * Why: phase 1 writes one such file per trial, thousands per run, and `tableToIPC` cost about as
 * much as encoding the events themselves — a fresh writer, stream sink and three flatbuffer
 * builders per call, then the body copied chunk by chunk into one array. The schema here never
 * changes shape (two columns, the gap's width, positions as a dictionary or not), so the file is
 * three small flatbuffers (dictionary batch and record batch headers, footer) around the two
 * columns, which are encoded straight into the file's bytes.
 *
 * The bytes are the very bytes apache-arrow 21 writes for the same table (signal-ipc.test.ts
 * compares them for every shape): the flatbuffers come from the same flatbuffers Builder with the
 * same calls in the same order as apache-arrow's ipc/metadata encoders, so a workspace does not
 * change by a byte and every Arrow reader reads the file as before. Per the file format: magic,
 * no schema message (apache-arrow keeps the schema in the footer only), the dictionary batch, the
 * record batch, the end-of-stream marker, the footer, its length, magic.
 */

/** Arrow's flatbuffer enums (format/Schema.fbs, Message.fbs) as apache-arrow writes them. */
const METADATA_V5 = 4;
const HEADER_DICTIONARY_BATCH = 2;
const HEADER_RECORD_BATCH = 3;
const TYPE_INT = 2;
const TYPE_FLOAT = 3;
const PRECISION_DOUBLE = 2;
const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"

export interface SignalIpcShape {
  /** events (rows) */
  rows: number;
  /** bytes of a gap: 1, 2 or 4 */
  gapWidth: 1 | 2 | 4;
  /** the dictionary's distinct positions, or null: positions stored as Float64 */
  dictionary: Float64Array | null;
  /** schema metadata, in order */
  metadata: Array<[string, string]>;
}

/** Where the caller writes the columns in the file returned by `signalIpcFile`. */
export interface SignalIpcFile {
  bytes: Uint8Array;
  /** byte offset of the gaps (n × gapWidth bytes, zero padding after them already written) */
  gapsAt: number;
  /** byte offset of the positions: n codes (dictionary) or n Float64 values */
  positionsAt: number;
}

const pad8 = (n: number) => (n + 7) & ~7;

// one builder for every file this thread writes: clear() keeps its memory, and a flatbuffer's
// bytes do not depend on the builder's capacity (it aligns from the end)
const b = new Builder(1024);

interface Region {
  offset: number;
  length: number;
}

/** apache-arrow's encodeRecordBatch: nodes and buffers (reversed, as structs), then the table. */
function recordBatch(length: number, nodes: number[], buffers: Region[]): number {
  b.startVector(16, nodes.length, 8);
  for (let i = nodes.length - 1; i >= 0; i--) {
    b.prep(8, 16);
    b.writeInt64(0n); // null count
    b.writeInt64(BigInt(nodes[i]!));
  }
  const nodesAt = b.endVector();
  b.startVector(16, buffers.length, 8);
  for (let i = buffers.length - 1; i >= 0; i--) {
    b.prep(8, 16);
    b.writeInt64(BigInt(buffers[i]!.length));
    b.writeInt64(BigInt(buffers[i]!.offset));
  }
  const buffersAt = b.endVector();
  b.startObject(5);
  b.addFieldInt64(0, BigInt(length), 0n);
  b.addFieldOffset(1, nodesAt, 0);
  b.addFieldOffset(2, buffersAt, 0);
  return b.endObject();
}

/** apache-arrow's Message.encode around a record batch or dictionary batch header. */
function message(headerType: number, header: number, bodyLength: number): Uint8Array {
  b.startObject(5);
  b.addFieldInt16(0, METADATA_V5, 0);
  b.addFieldOffset(2, header, 0);
  b.addFieldInt8(1, headerType, 0);
  b.addFieldInt64(3, BigInt(bodyLength), 0n);
  b.finish(b.endObject());
  return b.asUint8Array().slice();
}

function intType(bitWidth: number): number {
  b.startObject(2);
  b.addFieldInt32(0, bitWidth, 0);
  b.addFieldInt8(1, 0, 0); // unsigned
  return b.endObject();
}

function doubleType(): number {
  b.startObject(1);
  b.addFieldInt16(0, PRECISION_DOUBLE, 0);
  return b.endObject();
}

/** apache-arrow's encodeField for a non-nullable field without children or metadata. */
function field(name: string, typeId: number, type: number, dictionary: number | null): number {
  b.startVector(4, 0, 4);
  const children = b.endVector();
  const nameAt = b.createString(name);
  b.startObject(7);
  b.addFieldOffset(3, type, 0);
  b.addFieldInt8(2, typeId, 0);
  b.addFieldOffset(5, children, 0);
  b.addFieldInt8(1, 0, 0); // not nullable
  b.addFieldOffset(0, nameAt, 0);
  if (dictionary !== null) b.addFieldOffset(4, dictionary, 0);
  return b.endObject();
}

/** apache-arrow's encodeSchema for the two columns gap and position. */
function schema(shape: SignalIpcShape): number {
  const gap = field('gap', TYPE_INT, intType(shape.gapWidth * 8), null);
  let position: number;
  if (shape.dictionary) {
    // the dictionary encoding (id 0, Uint8 codes, not ordered) first, then the values' type
    const indices = intType(8);
    b.startObject(4);
    b.addFieldInt64(0, 0n, 0n);
    b.addFieldInt8(2, 0, 0);
    b.addFieldOffset(1, indices, 0);
    const encoding = b.endObject();
    position = field('position', TYPE_FLOAT, doubleType(), encoding);
  } else {
    position = field('position', TYPE_FLOAT, doubleType(), null);
  }
  // apache-arrow starts the fields vector twice (startFieldsVector, then createFieldsVector);
  // the first start's alignment can pad the buffer, so it is repeated here
  b.startVector(4, 2, 4);
  b.startVector(4, 2, 4);
  b.addOffset(position);
  b.addOffset(gap);
  const fields = b.endVector();
  const pairs = shape.metadata.map(([k, v]) => {
    const key = b.createString(k);
    const value = b.createString(v);
    b.startObject(2);
    b.addFieldOffset(0, key, 0);
    b.addFieldOffset(1, value, 0);
    return b.endObject();
  });
  b.startVector(4, pairs.length, 4);
  for (let i = pairs.length - 1; i >= 0; i--) b.addOffset(pairs[i]!);
  const metadata = b.endVector();
  b.startObject(4);
  b.addFieldOffset(1, fields, 0);
  b.addFieldInt16(0, 0, 0); // little endian
  b.addFieldOffset(2, metadata, 0);
  return b.endObject();
}

interface Block {
  offset: number;
  metaDataLength: number;
  bodyLength: number;
}

function blocks(list: Block[]): number {
  b.startVector(24, list.length, 8);
  for (let i = list.length - 1; i >= 0; i--) {
    const k = list[i]!;
    b.prep(8, 24);
    b.writeInt64(BigInt(k.bodyLength));
    b.pad(4);
    b.writeInt32(k.metaDataLength);
    b.writeInt64(BigInt(k.offset));
  }
  return b.endVector();
}

function footer(shape: SignalIpcShape, batches: Block[], dictionaries: Block[]): Uint8Array {
  b.clear();
  const schemaAt = schema(shape);
  const batchesAt = blocks(batches);
  const dictionariesAt = blocks(dictionaries);
  b.startObject(5);
  b.addFieldOffset(1, schemaAt, 0);
  b.addFieldInt16(0, METADATA_V5, 0);
  b.addFieldOffset(3, batchesAt, 0);
  b.addFieldOffset(2, dictionariesAt, 0);
  b.finish(b.endObject());
  return b.asUint8Array();
}

/** A message's bytes in the file: continuation marker, length, flatbuffer, zero padding to 8. */
function messageSize(flatbuffer: Uint8Array): number {
  return pad8(flatbuffer.length + 8);
}

function putMessage(out: Uint8Array, view: DataView, at: number, flatbuffer: Uint8Array): number {
  const size = messageSize(flatbuffer);
  view.setInt32(at, -1, true);
  view.setInt32(at + 4, size - 8, true);
  out.set(flatbuffer, at + 8);
  out.fill(0, at + 8 + flatbuffer.length, at + size);
  return at + size;
}

let memory = new ArrayBuffer(1 << 16);

/**
 * The file for `shape`, every byte written except the columns' own (at `gapsAt` and
 * `positionsAt`; the padding after them is zeroed here). The bytes are a view of memory this
 * thread reuses for its next file: write them out before calling again.
 */
export function signalIpcFile(shape: SignalIpcShape): SignalIpcFile {
  const n = shape.rows;
  const gapBytes = n * shape.gapWidth;
  const positionBytes = shape.dictionary ? n : 8 * n;
  const dict = shape.dictionary;

  let dictMessage: Uint8Array | null = null;
  let dictBody = 0;
  if (dict) {
    dictBody = pad8(8 * dict.length);
    b.clear();
    const rb = recordBatch(dict.length, [dict.length], [{ offset: 0, length: 0 }, { offset: 0, length: dictBody }]);
    b.startObject(3);
    b.addFieldInt64(0, 0n, 0n); // id
    b.addFieldInt8(2, 0, 0); // not a delta
    b.addFieldOffset(1, rb, 0);
    dictMessage = message(HEADER_DICTIONARY_BATCH, b.endObject(), dictBody);
  }
  const gapRegion = pad8(gapBytes);
  const body = gapRegion + pad8(positionBytes);
  b.clear();
  const rb = recordBatch(n, [n, n], [
    { offset: 0, length: 0 },
    { offset: 0, length: gapRegion },
    { offset: gapRegion, length: 0 },
    { offset: gapRegion, length: pad8(positionBytes) },
  ]);
  const rbMessage = message(HEADER_RECORD_BATCH, rb, body);

  const dictAt = 8;
  const rbAt = dictAt + (dictMessage ? messageSize(dictMessage) + dictBody : 0);
  const dictionaries = dictMessage ? [{ offset: dictAt, metaDataLength: messageSize(dictMessage), bodyLength: dictBody }] : [];
  const foot = footer(shape, [{ offset: rbAt, metaDataLength: messageSize(rbMessage), bodyLength: body }], dictionaries);
  const gapsAt = rbAt + messageSize(rbMessage);
  const eosAt = gapsAt + body;
  const total = eosAt + 8 + foot.length + 4 + MAGIC.length;

  if (memory.byteLength < total) memory = new ArrayBuffer(Math.max(total, 2 * memory.byteLength));
  const out = new Uint8Array(memory, 0, total);
  const view = new DataView(memory, 0, total);
  out.set(MAGIC, 0);
  out[6] = out[7] = 0;
  if (dictMessage) {
    const valuesAt = putMessage(out, view, dictAt, dictMessage);
    out.set(new Uint8Array(dict!.buffer, dict!.byteOffset, 8 * dict!.length), valuesAt);
    out.fill(0, valuesAt + 8 * dict!.length, valuesAt + dictBody);
  }
  putMessage(out, view, rbAt, rbMessage);
  out.fill(0, gapsAt + gapBytes, gapsAt + gapRegion);
  out.fill(0, gapsAt + gapRegion + positionBytes, eosAt);
  view.setInt32(eosAt, -1, true);
  view.setInt32(eosAt + 4, 0, true);
  out.set(foot, eosAt + 8);
  view.setInt32(eosAt + 8 + foot.length, foot.length, true);
  out.set(MAGIC, eosAt + 12 + foot.length);
  return { bytes: out, gapsAt, positionsAt: gapsAt + gapRegion };
}
