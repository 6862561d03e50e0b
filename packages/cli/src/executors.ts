import type { DistributedExecutors } from '@regimen/coordinator';
import { parseRedisUrl, redisExecutor, runPlugins } from '@regimen/executor-redis';

/** The distributed executors this command offers the coordinator: Redis (BullMQ), by URL. */
export const distributedExecutors: DistributedExecutors = {
  check: (url, field) => void parseRedisUrl(url, field),
  create: (r) =>
    redisExecutor({
      url: r.url,
      field: r.field,
      workflowId: r.workflowId,
      resumeHint: r.resumeHint,
      engine: r.engine,
      local: r.local,
      plugins: runPlugins(r.workerPlugins, r.taskPlugins),
      emit: r.emit,
    }),
};
