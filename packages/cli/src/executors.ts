import type { DistributedExecutors } from '@regimen/coordinator';
import { parseRedisUrl, pluginRef, redisExecutor } from '@regimen/executor-redis';

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
      plugins: r.workerPlugins.map((p) => pluginRef(p.spec, p.from)),
      emit: r.emit,
    }),
};
