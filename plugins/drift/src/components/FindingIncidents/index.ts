export { FindingIncidents } from './FindingIncidents';
export { LinkIncidentDialog } from './LinkIncidentDialog';
