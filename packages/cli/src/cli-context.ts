/** What every command gets: where to write, how verbose, and the interrupt scope. */
import type { ProgressReporter } from './progress';

/** A minimal writable (process.stdout, or a buffer in tests). */
export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Streams and environment of one CLI invocation. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  cwd: string;
}

/** Global flags, resolved. */
export interface GlobalFlags {
  json: boolean;
  verbose: boolean;
  quiet: boolean;
}

/** Passed to each command. */
export interface CommandContext {
  io: CliIo;
  flags: GlobalFlags;
  progress: ProgressReporter;
  signal: AbortSignal;
  onForcedExit(cleanup: () => void): () => void;
}

/** A command's result: the object `--json` prints and the text printed otherwise. */
export interface CommandOutput {
  json: unknown;
  text: string;
}
