// The HMM kernel's exports: pointer/length routines over the module's own memory, laid out by the host.
export { forwardPass, backwardPass } from './em';
export { forwardPass3, backwardPass3 } from './em3';
