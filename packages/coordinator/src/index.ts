export { runWorkflow, type RunOptions, type RunResult } from './run.js';
export { loadWorkflowConfig } from './config-file.js';
export { resolveConfig, DEFAULTS } from './defaults.js';
export { builtinRegistry, loadPlugins, callPlugin, BUILTIN_PLUGINS } from './plugins.js';
export { copyBars, fitClassifier, labelWithModel } from './classifier-run.js';
export { summarize, workspaceStatus, type RunSummary, type WorkspaceStatus } from './summary.js';
export { trialId } from './trials.js';
export type { RunEvent } from './context.js';
export { smallWorkflow } from './test-fixtures.js';
