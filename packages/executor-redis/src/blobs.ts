import { z } from 'zod';
import { NO_REGIME, regimenError, type BarColumns, type RegimeTrack, type SignalEvents } from '@regimen/core';
import { column, decodeColumns, encodeColumns, isF64, isI32, isU8, metaOf, type Column } from './columns.js';

/**
 * The data a run publishes once, content-addressed by the sha256 of these bytes: market data
 * (bars), one regime labels track per classifier, and for phase 3 the close series and each
 * replay leg's signal events. Workers keep what they fetched by that hash, so the same data is
 * fetched once per worker, however many batches and runs use it.
 */
const BAR_COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

const MarketMetaSchema = z
  .object({
    kind: z.literal('market'),
    /** columns that are close itself (close-only data repeats it as open/high/low) */
    same_as_close: z.array(z.enum(['open', 'high', 'low'])),
  })
  .strict();

export function marketBlob(bars: BarColumns): Uint8Array {
  const same = (['open', 'high', 'low'] as const).filter((k) => bars[k] === bars.close);
  const cols: Array<[string, Column]> = [];
  for (const k of BAR_COLUMNS) {
    const c = bars[k];
    if (c && !(same as readonly string[]).includes(k)) cols.push([k, c]);
  }
  return encodeColumns(cols, { kind: 'market', same_as_close: same });
}

export function readMarket(bytes: Uint8Array): BarColumns {
  const what = 'market data';
  const d = decodeColumns(bytes, what);
  const meta = metaOf(d, MarketMetaSchema, what);
  const close = column(d, 'close', isF64, what);
  const col = (k: 'time' | 'open' | 'high' | 'low') => ((meta.same_as_close as string[]).includes(k) ? close : column(d, k, isF64, what));
  const bars: BarColumns = { time: col('time'), open: col('open'), high: col('high'), low: col('low'), close };
  if (d.columns.has('volume')) bars.volume = column(d, 'volume', isF64, what);
  return bars;
}

const LabelsMetaSchema = z.object({ kind: z.literal('labels'), classifier: z.string(), names: z.array(z.string()).min(1).max(NO_REGIME) }).strict();

export function labelsBlob(track: RegimeTrack): Uint8Array {
  return encodeColumns([['label', track.labels]], { kind: 'labels', classifier: track.classifier, names: track.names });
}

export function readLabels(bytes: Uint8Array): RegimeTrack {
  const what = 'regime labels';
  const d = decodeColumns(bytes, what);
  const meta = metaOf(d, LabelsMetaSchema, what);
  const labels = column(d, 'label', isU8, what);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (l !== NO_REGIME && l >= meta.names.length) {
      throw regimenError({ code: 'internal', field: `${what}.label`, value: l, message: `${what} of ${meta.classifier} from Redis: bar ${i} has label ${l}, there are ${meta.names.length} regimes` });
    }
  }
  return { classifier: meta.classifier, names: meta.names, labels };
}

const SeriesMetaSchema = z.object({ kind: z.literal('series') }).strict();

export function seriesBlob(values: Float64Array): Uint8Array {
  return encodeColumns([['value', values]], { kind: 'series' });
}

export function readSeries(bytes: Uint8Array): Float64Array {
  const d = decodeColumns(bytes, 'series');
  metaOf(d, SeriesMetaSchema, 'series');
  return column(d, 'value', isF64, 'series');
}

const EventsMetaSchema = z.object({ kind: z.literal('events') }).strict();

export function eventsBlob(events: SignalEvents): Uint8Array {
  return encodeColumns([['bar', events.bar], ['position', events.position]], { kind: 'events' });
}

export function readEvents(bytes: Uint8Array): SignalEvents {
  const what = 'signal events';
  const d = decodeColumns(bytes, what);
  metaOf(d, EventsMetaSchema, what);
  return { bar: column(d, 'bar', isI32, what), position: column(d, 'position', isF64, what) };
}

/** Market data and labels must describe the same bars: checked where a batch is assembled. */
export function assertSameLength(bars: BarColumns, tracks: RegimeTrack[]): void {
  const n = bars.close.length;
  for (const k of BAR_COLUMNS) {
    const c = bars[k];
    if (c && c.length !== n) throw regimenError({ code: 'internal', field: `market data.${k}`, value: c.length, message: `market data from Redis: column ${k} has ${c.length} bars, close has ${n}` });
  }
  for (const t of tracks) {
    if (t.labels.length !== n) throw regimenError({ code: 'internal', field: `regime labels.${t.classifier}`, value: t.labels.length, message: `regime labels from Redis: ${t.labels.length} labels for ${n} bars` });
  }
}
