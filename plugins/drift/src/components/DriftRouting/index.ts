export { DriftRouting } from './DriftRouting';
