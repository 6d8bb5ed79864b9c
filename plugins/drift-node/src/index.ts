/**
 * Node library for Driftwatch backend modules: extension points and provider interfaces.
 *
 * @packageDocumentation
 */

export * from './actions';
export * from './extensions';
export * from './providers';
export * from './locations';
export * from './fileLocations';
export * from './LruCache';
export * from './scanWork';
