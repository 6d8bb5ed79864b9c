export { FilterSelect, type FilterOption } from './FilterSelect';
