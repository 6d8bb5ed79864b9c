/**
 * Test utilities for the GitHub module: a loopback server for the part of GitHub's REST API a
 * hotfix pull request uses, for tests that run the `github-pull-request` action.
 *
 * @packageDocumentation
 */

export {
  GitHubApiServer,
  type Pull,
  type RecordedRequest,
} from './GitHubApiServer';
