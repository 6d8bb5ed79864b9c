export {
  FindingHistory,
  EventActor,
  describeEvent,
  SYSTEM_ACTOR,
} from './FindingHistory';
