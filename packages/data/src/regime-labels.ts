import { Dictionary, Int32, Utf8, makeVector, vectorFromArray, type Data } from 'apache-arrow';
import { z } from 'zod';
import { NO_REGIME, parseWith, regimenError, type RegimeTrack } from '@regimen/core';
import { isFloat64, isUint8, readArrowTable, tableOf, writeArrowTable } from './arrow-file.js';
import { timestampData } from './bars-table.js';

const KIND = 'regimen.regime_labels';
const MetaSchema = z.object({
  kind: z.literal(KIND),
  classifier: z.string().min(1),
  names: z.array(z.string()).max(NO_REGIME),
});

export interface RegimeLabelsFile extends RegimeTrack {
  time: Float64Array;
  /** per regime (same order as `names`), the classifier's probability of that regime at each bar */
  probabilities?: Float64Array[];
}

/** Column name of regime k's probability. */
export function probabilityColumn(regime: string): string {
  return `p_${regime}`;
}

/**
 * Per-bar regime labels of one classifier: time Timestamp(ms), label Uint8 (NO_REGIME = 255 for
 * warm-up bars), regime as dictionary-encoded text (null for NO_REGIME) so the file reads on its
 * own in any Arrow tool, and p_<regime> Float64 columns when given. Classifier and regime names,
 * in label order, are schema metadata — the labels are only meaningful with them.
 */
export function writeRegimeLabels(path: string, track: RegimeTrack, time: Float64Array, probabilities?: Float64Array[]): void {
  const n = track.labels.length;
  if (time.length !== n) throw regimenError({ code: 'internal', file: path, message: `${n} labels but ${time.length} timestamps` });
  if (probabilities && (probabilities.length !== track.names.length || probabilities.some((p) => p.length !== n))) {
    throw regimenError({ code: 'internal', file: path, message: `probabilities must be ${track.names.length} columns of ${n} values` });
  }
  const text = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    const l = track.labels[i]!;
    if (l !== NO_REGIME && l >= track.names.length) throw regimenError({ code: 'internal', file: path, field: 'label', value: l, message: `bar ${i}: label outside the ${track.names.length} regimes` });
    text[i] = l === NO_REGIME ? null : track.names[l]!;
  }
  const cols: Array<[string, Data]> = [
    ['time', timestampData(time)],
    ['label', makeVector(Uint8Array.from(track.labels)).data[0]!],
    // dictionary id 0, not arrow-js's process-wide counter: the bytes must not depend on what
    // else this process wrote before (two runs in one process give identical files)
    ['regime', vectorFromArray(text, new Dictionary(new Utf8(), new Int32(), 0)).data[0]!],
  ];
  probabilities?.forEach((p, k) => cols.push([probabilityColumn(track.names[k]!), makeVector(Float64Array.from(p)).data[0]!]));
  const metadata = new Map([['kind', KIND], ['classifier', track.classifier], ['names', JSON.stringify(track.names)]]);
  writeArrowTable(path, tableOf(cols, metadata, ['regime']));
}

export function readRegimeLabels(path: string): RegimeLabelsFile {
  const table = readArrowTable(path);
  const md = table.schema.metadata;
  let names: unknown;
  try {
    names = JSON.parse(md.get('names') ?? 'null');
  } catch {
    names = md.get('names');
  }
  const meta = parseWith(MetaSchema, { kind: md.get('kind'), classifier: md.get('classifier'), names }, { file: path, code: 'workspace', prefix: 'metadata' });
  const label = table.getChild('label');
  const time = table.getChild('time');
  if (!label || !isUint8(label.type) || label.nullCount > 0) throw regimenError({ code: 'workspace', file: path, field: 'label', message: 'missing Uint8 column "label" without nulls' });
  if (!time || time.nullCount > 0) throw regimenError({ code: 'workspace', file: path, field: 'time', message: 'missing column "time" without nulls' });
  const labels = Uint8Array.from(label.toArray() as Uint8Array);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (l !== NO_REGIME && l >= meta.names.length) {
      throw regimenError({ code: 'workspace', file: path, field: 'label', value: l, message: `row ${i + 1}: label outside the ${meta.names.length} regimes ${JSON.stringify(meta.names)}` });
    }
  }
  const times = new Float64Array(table.numRows);
  for (let i = 0; i < times.length; i++) times[i] = Number(time.get(i));
  const out: RegimeLabelsFile = { classifier: meta.classifier, names: meta.names, labels, time: times };
  const pCols = meta.names.map((r) => table.getChild(probabilityColumn(r)));
  if (meta.names.length > 0 && pCols.every((c) => c !== null)) {
    out.probabilities = pCols.map((c, k) => {
      if (!isFloat64(c!.type)) throw regimenError({ code: 'workspace', file: path, field: probabilityColumn(meta.names[k]!), message: 'probability column must be Float64' });
      return Float64Array.from(c!.toArray() as Float64Array);
    });
  }
  return out;
}
