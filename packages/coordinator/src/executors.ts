import { regimenError, type PluginSource, type WorkflowConfig } from '@regimen/core';
import { localExecutor, type EngineName, type Executor } from '@regimen/backtester';

/**
 * Where a run's backtests go: the local pool, or a distributed executor named by URL (`--executor`
 * wins over the workflow's `executor:`). The coordinator never imports a distributed executor:
 * the caller (the cli) hands one in, so nothing here knows Redis. The executor is not part of
 * the experiment: it is kept out of the config hash, and a run may be resumed with another.
 */
export interface DistributedExecutors {
  /** throws the one-line error for a URL it cannot use; called before the workspace is touched */
  check(url: string, field: string): void;
  create(request: ExecutorRequest): Promise<Executor>;
}

export interface ExecutorRequest {
  url: string;
  /** `--executor` or `workflow.executor`, for messages */
  field: string;
  workflowId: string;
  engine: EngineName;
  /** runs what the distributed executor does not (and is closed by it) */
  local: Executor;
  /** plugins whose code runs where backtests run: the run's strategy plugins (resolved from `from`) */
  workerPlugins: PluginSource[];
  /**
   * plugins whose code module tasks may import (the configured classifiers' packages, whose fits
   * run as tasks): a worker that has them at the same version runs those tasks, else they run on `local`
   */
  taskPlugins?: PluginSource[];
  /** the command that continues this run, for a message after a lost connection */
  resumeHint: string;
  emit: (message: string) => void;
}

export interface ExecutorChoice {
  url: string;
  field: string;
}

export function chooseExecutor(flag: string | undefined, raw: WorkflowConfig, configPath: string, executors: DistributedExecutors | undefined): ExecutorChoice {
  const choice = flag !== undefined ? { url: flag, field: '--executor' } : { url: raw.workflow.executor ?? 'local', field: 'workflow.executor' };
  if (choice.url === 'local') return choice;
  const where = choice.field === '--executor' ? {} : { file: configPath };
  if (!executors) throw regimenError({ code: 'usage', ...where, field: choice.field, value: choice.url, message: 'this program has no distributed executor (use the regimen command)' });
  try {
    executors.check(choice.url, choice.field);
  } catch (e) {
    throw Object.assign(e as Error, where);
  }
  return choice;
}

export async function openExecutor(
  choice: ExecutorChoice,
  executors: DistributedExecutors | undefined,
  request: Omit<ExecutorRequest, 'url' | 'field' | 'local'> & { workers: number; /** data sets the local pool keeps (a universe's series in flight + 1) */ dataSets?: number },
): Promise<Executor> {
  const { workers, dataSets, ...rest } = request;
  // classifiers and optimizers run on the coordinator; strategy plugins run wherever trials do
  const local = localExecutor({ workers, engine: request.engine, strategyPlugins: request.workerPlugins, ...(dataSets ? { dataSets } : {}) });
  if (choice.url === 'local') return local;
  try {
    return await executors!.create({ ...rest, url: choice.url, field: choice.field, local });
  } catch (e) {
    await local.close();
    throw e;
  }
}
