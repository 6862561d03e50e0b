export { loadMarketData, type MarketData, type LoadOptions } from './market-data.js';
export { splitBars, DEFAULT_TRAIN_FRACTION, type SplitSpec, type DataSplit } from './split.js';
export { dataFingerprint } from './fingerprint.js';
export { inferBarsPerYear, TRADING_DAYS_PER_YEAR } from './bars-per-year.js';
export { isoTime, parseTimeText, DAY_MS, TIME_KEY_NAMES, BAR_INDEX_KEY, type TimeKind, type ParsedTime } from './time.js';
export { embeddedDataPath, EMBEDDED_DEFAULT, EMBEDDED_FILES } from './embedded.js';
export { readArrowTable, writeArrowTable, isArrowPath, ARROW_EXTENSIONS } from './arrow-file.js';
export { arrowToRows, type ArrowRows } from './arrow-rows.js';
export { barsToTable, writeBarsArrow } from './bars-table.js';
export {
  writeSignalEvents, readSignalEvents, SignalHeaderSchema, SignalEventLineSchema,
  type SignalFormat, type SignalEventsMeta, type SignalEventsFile,
} from './signal-events.js';
export { writeRegimeLabels, readRegimeLabels, probabilityColumn, type RegimeLabelsFile } from './regime-labels.js';
export { writeValidationEquity, readValidationEquity, type ValidationEquityFile } from './validation-equity.js';
export { writeTrialsTable, readTrialsTable, type TrialsTableRow } from './trials-table.js';
