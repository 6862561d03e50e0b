export { syntheticBars, sliceBars, readCsvBars } from './bars.js';
export {
  checkCausality,
  checkDeterminism,
  checkLabelRange,
  checkProbabilities,
  checkRoundTrip,
  jsonHazard,
  type CheckResult,
} from './checks.js';
export { classifierConformance, type ConformanceOptions } from './conformance.js';
