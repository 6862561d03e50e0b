export { loadMarketData, readMarketData, readMarketSeries, type MarketData, type LoadOptions, type DataReading, type DuplicatePolicy, type PriceSpec } from './market-data.js';
export { parseInterval, resampleBars, type Resampled } from './resample.js';
export { checkZone, zoneClock, type ZoneClock } from './zone.js';
export { TIME_FORMATS, type TimeFormat } from './time-reader.js';
export { openSeries, type SeriesSource, type RawSeries, type ColumnType, type TimeOptions } from './series.js';
export { isParquetPath, PARQUET_EXTENSIONS } from './parquet-series.js';
export { splitBars, lowerBound, DEFAULT_TRAIN_FRACTION, type SplitSpec, type DataSplit } from './split.js';
export { dataFingerprint } from './fingerprint.js';
export { inferBarsPerYear, TRADING_DAYS_PER_YEAR } from './bars-per-year.js';
export { isoTime, parseTimeText, DAY_MS, TIME_KEY_NAMES, BAR_INDEX_KEY, type TimeKind, type ParsedTime } from './time.js';
export { embeddedDataPath, EMBEDDED_DEFAULT, EMBEDDED_FILES } from './embedded.js';
export { readArrowTable, writeArrowTable, isArrowPath, tableOf, ARROW_EXTENSIONS } from './arrow-file.js';
export { arrowToRows, type ArrowRows } from './arrow-rows.js';
export { barsToTable, writeBarsArrow } from './bars-table.js';
export {
  writeSignalEvents, readSignalEvents, isSignalEventsTable, SIGNAL_LAYOUT, SignalHeaderSchema, SignalEventLineSchema,
  type SignalFormat, type SignalEventsMeta, type SignalEventsFile,
} from './signal-events.js';
export { writeRegimeLabels, readRegimeLabels, probabilityColumn, type RegimeLabelsFile } from './regime-labels.js';
export { writeValidationEquity, readValidationEquity, type ValidationEquityFile } from './validation-equity.js';
export { writeTrialsTable, readTrialsTable, type TrialsTableRow } from './trials-table.js';
export { dataInfo, seriesInfo, type DataInfo, type SpacingCount, type Gap } from './data-info.js';
export { convertedColumns, readAllColumns, writeColumns, writeColumnsArrow, writeColumnsParquet, outputFormat, type ConvertedColumns, type OutputFormat } from './data-convert.js';
export { universeColumns, type UniverseColumn } from './universe-columns.js';
export { readingOptions } from './config-reading.js';
