export { DriftTracker } from './DriftTracker';
