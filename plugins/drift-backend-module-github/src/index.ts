/**
 * GitHub for Driftwatch: a hotfix pull request per drift finding, editing Git to match live or
 * recording a drift note.
 *
 * @packageDocumentation
 */

export { driftModuleGithub as default } from './module';
export {
  GitHubPullRequestAction,
  type PullRequestState,
} from './action/GitHubPullRequestAction';
