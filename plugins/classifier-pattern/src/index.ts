import { patternClassifier } from './plugin.js';

export { patternClassifier } from './plugin.js';
export { PatternOptionsSchema, type PatternOptions, type PatternOptionsInput } from './options.js';
export { PatternModelSchema, regimeNames, type PatternModel } from './model.js';
export { adx, atr, donchian, trueRange, wilder } from './indicators.js';

export default patternClassifier();
