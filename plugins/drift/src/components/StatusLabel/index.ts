export { FindingStatusLabel, ResourceStatusLabel } from './StatusLabel';
