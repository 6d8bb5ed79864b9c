export interface Config {
  /** Driftwatch configuration. */
  drift?: {};
}
