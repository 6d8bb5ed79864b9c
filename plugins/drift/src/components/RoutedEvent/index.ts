export { RoutedEvent, RoutedEventNote } from './RoutedEvent';
export {
  pullRequestStates,
  routedDetails,
  routedTitle,
  type PullRequestState,
} from './describeRoutedEvent';
