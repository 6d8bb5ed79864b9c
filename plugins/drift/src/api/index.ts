export * from './DriftApi';
export { DriftClient } from './DriftClient';
