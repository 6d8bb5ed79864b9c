/** A problem with the command line or its inputs: reported on stderr, exit code 2. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** Exit codes of the `driftwatch` command. */
export const EXIT_IN_SYNC = 0;
export const EXIT_DRIFT = 1;
export const EXIT_ERROR = 2;
