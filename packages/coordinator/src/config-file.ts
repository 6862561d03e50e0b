import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { parseWith, regimenError, WorkflowConfigSchema, type WorkflowConfig } from '@regimen/core';

/** Read a workflow YAML file and validate it; every error names the file and the field path. */
export function loadWorkflowConfig(path: string): { config: WorkflowConfig; text: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw regimenError({ code: 'config', file: path, message: `cannot read workflow file (${(e as NodeJS.ErrnoException).code})` });
  }
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = err.linePos?.[0];
    throw regimenError({
      code: 'config',
      file: path,
      field: line ? `line ${line.line}:${line.col}` : undefined,
      message: `invalid YAML: ${err.message.split('\n')[0]}`,
    });
  }
  const value: unknown = doc.toJS();
  return { config: parseWith(WorkflowConfigSchema, value, { file: path, code: 'config' }), text };
}
