export { ScanNowButton } from './ScanNowButton';
