export { redisExecutor, type RedisExecutor, type RedisExecutorOptions, type RedisOverheads } from './redis-executor.js';
export { startWorker, type WorkerOptions, type RegimenWorker } from './worker.js';
export { parseRedisUrl, isRedisUrl, redact, type RedisTarget } from './connection.js';
export { pluginRef, runPlugins } from './compat.js';
export { PROTOCOL, REGIMEN_VERSION, type PluginRef } from './protocol.js';
export { startLocalRedis, redisServerMissing, type LocalRedis } from './redis-server.js';
