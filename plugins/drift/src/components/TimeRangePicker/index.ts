export { TimeRangePicker } from './TimeRangePicker';
