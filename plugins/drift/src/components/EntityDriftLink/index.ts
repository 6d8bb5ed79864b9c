export { EntityDriftLink } from './EntityDriftLink';
