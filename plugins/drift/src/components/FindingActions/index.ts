export { FindingActions } from './FindingActions';
export { DecisionDialog, type Decision } from './DecisionDialog';
