/**
 * The `driftwatch` command line.
 *
 * @packageDocumentation
 */
export { main, type MainIo } from './main';
