/**
 * Types, annotations, permissions and the drift engine shared by the Driftwatch packages.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './permissions';
export * from './engine';
export * from './api/types';
export * from './export';
