import { smaCrossStrategy } from './plugin.js';

export { smaCrossStrategy, smaCrossPositions, SmaCrossParamsSchema, type SmaCrossParams } from './plugin.js';

export default smaCrossStrategy();
