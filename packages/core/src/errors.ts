/**
 * Errors are values with a code, the file/field/value at fault and a message; the CLI edge turns
 * them into exactly one line (and exit code 2). One class so `instanceof` works across packages.
 */
export type ErrorCode =
  | 'config'        // a workflow config field is wrong
  | 'data'          // market data is unusable
  | 'workspace'     // a workspace file is missing, edited into a bad shape, or the workspace is locked
  | 'plugin'        // a plugin failed to load, has the wrong shape or threw
  | 'usage'         // command-line misuse
  | 'interrupted'   // stopped by the user (Ctrl-C); what finished is kept
  | 'unavailable'   // a service the run needs (Redis) is gone; what finished is kept, resume later
  | 'internal';

export interface ErrorDetails {
  code: ErrorCode;
  message: string;
  file?: string;
  field?: string;
  value?: unknown;
  cause?: unknown;
}

export class RegimenError extends Error {
  readonly code: ErrorCode;
  readonly file?: string;
  readonly field?: string;
  readonly value?: unknown;
  constructor(details: ErrorDetails) {
    super(details.message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'RegimenError';
    this.code = details.code;
    this.file = details.file;
    this.field = details.field;
    this.value = details.value;
  }
}

export function regimenError(details: ErrorDetails): RegimenError {
  return new RegimenError(details);
}

export function isRegimenError(e: unknown): e is RegimenError {
  return e instanceof RegimenError;
}

function showValue(v: unknown): string {
  if (v === undefined) return '';
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

/** `error: <file>: <field> = <value>: <message>` on one line, parts omitted when unknown. */
export function formatError(e: unknown): string {
  if (e instanceof RegimenError) {
    const where = [e.file, e.field && (e.value !== undefined ? `${e.field} = ${showValue(e.value)}` : e.field)]
      .filter(Boolean)
      .join(': ');
    return `error: ${where ? where + ': ' : ''}${e.message}`.replace(/\s*\n\s*/g, ' ');
  }
  const msg = e instanceof Error ? e.message : String(e);
  return `error: ${msg}`.replace(/\s*\n\s*/g, ' ');
}

/**
 * Errors that stop a run as a whole instead of failing the trial in hand (Ctrl-C, a lost Redis):
 * never retried in-process, never recorded as a failed trial; the run is resumed later.
 */
export function stopsRun(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'interrupted' || code === 'unavailable';
}
