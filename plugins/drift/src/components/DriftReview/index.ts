export { DriftReview } from './DriftReview';
