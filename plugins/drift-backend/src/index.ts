/**
 * The Driftwatch backend plugin: scheduled drift scans, finding lifecycle, routing and the
 * HTTP API.
 *
 * @packageDocumentation
 */

export { driftPlugin as default } from './plugin';
