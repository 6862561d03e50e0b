// The HMM kernel's exports: pointer/length routines over the module's own memory, laid out by the host.
export { forwardPass, backwardPass } from './em';
