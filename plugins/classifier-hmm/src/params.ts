/** HMM parameters in flat typed arrays (row-major), the shape the hot loops want. */
export interface HmmParams {
  states: number;
  dims: number;
  /** means[i·dims + f] */
  means: Float64Array;
  /** variances[i·dims + f], diagonal covariance */
  variances: Float64Array;
  /** transition[i·states + j] = P(s_t = j | s_{t−1} = i); exact zeros allowed */
  transition: Float64Array;
  /** P(s_first = i) */
  initial: Float64Array;
}

export function cloneParams(p: HmmParams): HmmParams {
  return {
    states: p.states,
    dims: p.dims,
    means: p.means.slice(),
    variances: p.variances.slice(),
    transition: p.transition.slice(),
    initial: p.initial.slice(),
  };
}
