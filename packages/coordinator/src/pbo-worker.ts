import { runPboTask, type PboTask } from './pbo-task.js';

/** The pool worker of analysis/overfitting.json (executor.runTask): one task function, nothing kept between tasks. */
export default function pboWorker(task: PboTask) {
  return runPboTask(task);
}
