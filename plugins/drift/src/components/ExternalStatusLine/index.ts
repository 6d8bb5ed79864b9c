export { ExternalStatusLine } from './ExternalStatusLine';
