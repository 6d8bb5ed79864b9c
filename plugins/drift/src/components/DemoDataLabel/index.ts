export { DemoDataLabel } from './DemoDataLabel';
