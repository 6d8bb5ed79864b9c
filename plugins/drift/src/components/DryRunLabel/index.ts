export { DryRunLabel } from './DryRunLabel';
