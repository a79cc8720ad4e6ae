import { CliError, ExitCode } from './errors';

/**
 * Maps any thrown value to the exit code of the process: the CLI's own errors carry theirs,
 * everything else (a typed error of a library package, an I/O error) is a plain failure.
 */
export function exitCodeFor(error: unknown): ExitCode {
  return error instanceof CliError ? error.exitCode : ExitCode.failure;
}

/**
 * One line describing a failure, `error: <ErrorClass>: <message>` — the error class is kept
 * because the packages' typed errors (shape, dtype, fingerprint mismatch...) say which check
 * failed; with `verbose` the stack (and causes) follow on the next lines.
 */
export function formatError(error: unknown, verbose = false): string {
  if (!(error instanceof Error)) return `error: ${String(error)}`;
  const firstLine = error.message.split('\n').find((line) => line.trim() !== '') ?? '(no message)';
  const code = (error as NodeJS.ErrnoException).code;
  const kind = error.name && error.name !== 'Error' ? `${error.name}: ` : code ? `${code}: ` : '';
  const line = `error: ${kind}${firstLine.trim()}`;
  if (!verbose) return line;
  const parts = [line, error.stack ?? ''];
  let cause = (error as { cause?: unknown }).cause;
  while (cause instanceof Error) {
    parts.push(`caused by: ${cause.stack ?? cause.message}`);
    cause = (cause as { cause?: unknown }).cause;
  }
  return parts.filter(Boolean).join('\n');
}
