/**
 * Typed errors of the experiments script. Each message names the offending file, record,
 * flag or value so that a failed run says what to fix.
 */

/** Base class of every error thrown by the experiments script. */
export class ExperimentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A data file is missing, unreadable or not in the expected format. */
export class DatasetFormatError extends ExperimentError {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/** A command-line flag or option has an invalid value. */
export class ExperimentOptionError extends ExperimentError {}

/** A results file cannot be used to write the report (wrong format or version). */
export class ResultsFormatError extends ExperimentError {}
