export { SecurityTrends } from './SecurityTrends';
