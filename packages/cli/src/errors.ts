/**
 * Typed errors of the command line. Each carries the process exit code it maps to, so the
 * top level turns any failure into one line plus a code without inspecting messages.
 */

/** Exit codes of `ssh-peft`. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** 128 + SIGINT, what shells report for a Ctrl-C'd program. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Base class of every error the CLI raises itself. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode = ExitCode.failure) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Wrong command line: unknown command or flag, missing or malformed argument (exit 2). */
export class CliUsageError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

/** An input file is missing, unreadable or not what it claims to be. */
export class CliInputError extends CliError {
  readonly path: string;
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.path = path;
  }
}

/** An output path exists and `--force` was not given. */
export class CliOutputExistsError extends CliError {
  readonly path: string;
  constructor(path: string) {
    super(`output ${path} already exists (pass --force to replace it)`);
    this.path = path;
  }
}

/**
 * An output path exists and is not a regular file (or a symlink to one): a directory, FIFO,
 * socket or device. `--force` replaces files only; nothing is written.
 */
export class CliOutputKindError extends CliError {
  readonly path: string;
  readonly kind: string;
  constructor(path: string, kind: string) {
    super(`output ${path} is ${kind}, not a regular file; --force replaces files only (choose another output path)`);
    this.path = path;
    this.kind = kind;
  }
}

/** The base-model cache root cannot be used (a file, not writable…); reported before any work. */
export class CliCacheError extends CliError {
  readonly path: string;
  constructor(path: string, problem: string) {
    super(`cache directory ${path} ${problem}; choose another with --cache-dir or SSH_PEFT_CACHE_DIR`);
    this.path = path;
  }
}

/** The MNIST digit files are missing or malformed. */
export class MnistFormatError extends CliError {
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`MNIST digits ${file}: ${problem}`);
    this.file = file;
  }
}

/** A numeric result that must be finite was not (a diverged loss, an empty split...). */
export class CliNumericError extends CliError {}

/** The user pressed Ctrl-C; nothing partial was left behind. */
export class CliInterruptedError extends CliError {
  constructor(stage: string) {
    super(`interrupted during ${stage}; no output was written`, ExitCode.interrupted);
  }
}
