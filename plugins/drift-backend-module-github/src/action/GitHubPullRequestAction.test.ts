import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ActionDeliveryError } from '@driftwatch/plugin-drift-node';
import { GitHubApiServer } from '../testUtils';
import {
  delivery,
  finding,
  gitHubConfig,
  MANIFEST,
  TOKEN,
} from '../__testUtils__/fixtures';
import { GitHubPullRequestAction } from './GitHubPullRequestAction';

const options = { logger: mockServices.logger.mock() };
const BRANCH = 'driftwatch/drift-f3a1c2d4-0000-4000-8000-000000000001';

describe('GitHubPullRequestAction', () => {
  let github: GitHubApiServer;
  let action: GitHubPullRequestAction;

  beforeEach(async () => {
    github = await GitHubApiServer.start({
      owner: 'acme',
      repo: 'deploy',
      files: { 'cart/cart.yaml': MANIFEST },
    });
    action = GitHubPullRequestAction.fromConfig(gitHubConfig(github.url));
  });

  afterEach(() => github.stop());

  it('opens a pull request that changes exactly the drifted fields, keeping the rest of the file', async () => {
    const result = await action.deliver(delivery('opened'), options);

    expect(result).toMatchObject({
      status: 'delivered',
      summary: 'Opened PR #1',
      externalUrl: 'https://github.example.com/acme/deploy/pull/1',
      state: {
        owner: 'acme',
        repo: 'deploy',
        branch: BRANCH,
        base: 'main',
        pullNumber: 1,
      },
    });
    expect(github.file(BRANCH, 'cart/cart.yaml')).toBe(
      MANIFEST.replace('replicas: 2 #', 'replicas: 5 #').replace(
        '"registry.example.com/cart:1.0.0" # pinned',
        '"registry.example.com/cart:1.1.0-hotfix" # pinned',
      ),
    );
    // The sidecar, listed first in Git, is left alone although live put cart at index 0.
    expect(github.file(BRANCH, 'cart/cart.yaml')).toContain(
      "image: 'envoy:1.29'",
    );
    expect(github.file('main', 'cart/cart.yaml')).toBe(MANIFEST);
    const [pull] = github.pulls;
    expect(pull).toMatchObject({
      head: BRANCH,
      base: 'main',
      title: 'Drift hotfix: Deployment shop/cart (tier 1, high)',
      state: 'open',
    });
    expect(pull.body).toContain(
      '<!-- driftwatch-finding: f3a1c2d4-0000-4000-8000-000000000001 -->',
    );
    expect(pull.body).toContain(
      '| spec.replicas | 2 | 5 | kubectl (Update, via scale) | 2025-01-10T09:05:00Z |',
    );
    expect(pull.body).toContain(
      '[Open in Backstage](https://backstage.example.com/drift/findings/f3a1c2d4)',
    );
    for (const request of github.requests) {
      expect(request.authorization).toBe(`token ${TOKEN}`);
    }
  });

  it('adds an env var, removes a field live lacks and leaves unplaceable fields to a human', async () => {
    const routed = finding({
      changes: [
        {
          path: '/spec/template/spec/containers/0/env/1',
          field: 'spec.template.spec.containers[name=cart].env[name=DEBUG]',
          op: 'added',
          category: 'ConfigurationChange',
          severity: 'medium',
          desired: null,
          live: { name: 'DEBUG', value: 'true' },
        },
        {
          path: '/spec/replicas',
          field: 'spec.replicas',
          op: 'removed',
          category: 'Scaling',
          severity: 'medium',
          desired: 2,
          live: null,
        },
        {
          path: '/spec/template/spec/containers/2/image',
          field: 'spec.template.spec.containers[name=metrics].image',
          op: 'changed',
          category: 'VersionChange',
          severity: 'high',
          desired: 'a',
          live: 'b',
        },
      ],
    });

    await action.deliver(delivery('opened', routed), options);

    // The edited document keeps its comments, quoting and list style; the Service is untouched.
    expect(github.file(BRANCH, 'cart/cart.yaml')).toBe(`${
      MANIFEST.split('---\n')[0]
    }---
# Cart runs two replicas outside sales.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart # keep in step with the Service
  namespace: shop
spec:

  template:
    spec:
      containers:
      - name: sidecar
        image: 'envoy:1.29'
      - name: cart
        image: "registry.example.com/cart:1.0.0" # pinned
        env:
        - name: MODE
          value: fast
        - name: DEBUG
          value: "true"
`);
    expect(github.pulls[0].body).toContain(
      '### Not changed in Git, do by hand',
    );
    expect(github.pulls[0].body).toContain(
      'spec.template.spec.containers\\[name=metrics\\].image: not found in the manifest',
    );
  });

  it('never writes a Secret value or fingerprint anywhere', async () => {
    const routed = finding({
      kind: 'Secret',
      name: 'cart-db',
      resourceKey: 'Secret:shop:cart-db',
      categories: ['SecretChange'],
      changes: [
        {
          path: '/data/password',
          field: 'data.password',
          op: 'changed',
          category: 'SecretChange',
          severity: 'high',
          desired: { redacted: true, sha256: 'aaaabbbbcccc' },
          live: { redacted: true, sha256: 'ddddeeeeffff' },
          manager: 'kubectl-edit',
        },
      ],
      source: { ...finding().source!, document: 1 },
    });

    const result = await action.deliver(delivery('opened', routed), options);

    expect(github.file(BRANCH, 'cart/cart.yaml')).toBe(MANIFEST);
    const note = github.file(
      BRANCH,
      `.driftwatch/drift-notes/${routed.id}.md`,
    )!;
    expect(note).toContain('data.password: value changed');
    expect(note).toContain('rotate or update the secret in its store');
    const everything = [
      ...github.requests.map(r => r.body),
      JSON.stringify(result),
      ...[...github.branches.values()].flatMap(b => [...b.files.values()]),
    ];
    for (const text of everything) {
      expect(text).not.toMatch(/aaaabbbbcccc|ddddeeeeffff/);
      expect(text).not.toContain(
        Buffer.from('aaaabbbbcccc').toString('base64'),
      );
    }
    for (const request of github.requests.filter(r => r.method === 'PUT')) {
      const content = Buffer.from(
        JSON.parse(request.body).content,
        'base64',
      ).toString();
      expect(content).not.toMatch(/aaaabbbbcccc|ddddeeeeffff/);
    }
  });

  it('writes a drift note for a rendered source instead of a patch', async () => {
    const routed = finding({
      source: { ...finding().source!, rendered: true },
    });

    const result = await action.deliver(delivery('opened', routed), options);

    expect(github.file(BRANCH, 'cart/cart.yaml')).toBe(MANIFEST);
    const note = github.file(BRANCH, `.driftwatch/drift-notes/${routed.id}.md`);
    expect(note).toBe(github.pulls[0].body);
    expect(note).toContain('cannot be edited here');
    expect(result.request).toMatchObject({
      files: [{ path: `.driftwatch/drift-notes/${routed.id}.md` }],
    });
  });

  it('updates the same pull request when redelivered after the state was lost', async () => {
    await action.deliver(delivery('opened'), options);
    // The crash: the pull request exists, the branch exists (422), routing kept no state.
    const again = await action.deliver(delivery('opened'), options);

    expect(again.summary).toBe('Updated PR #1');
    expect(github.pulls).toHaveLength(1);
    expect(
      github.requests.filter(
        r => r.method === 'POST' && r.path.endsWith('/git/refs'),
      ),
    ).toHaveLength(2);
    expect(github.requests.filter(r => r.method === 'PUT')).toHaveLength(1);
  });

  it('updates the pull request when the drift changed', async () => {
    const first = await action.deliver(delivery('opened'), options);
    const changed = finding({
      severity: 'critical',
      changes: [{ ...finding().changes[1], live: 9 }],
    });

    const result = await action.deliver(
      delivery('changed', changed, first.state),
      options,
    );

    expect(result.summary).toBe('Updated PR #1');
    expect(github.pulls).toHaveLength(1);
    expect(github.pulls[0].title).toBe(
      'Drift hotfix: Deployment shop/cart (tier 1, critical)',
    );
    // Built from main again: the image is back to Git's value, replicas follow live.
    expect(github.file(BRANCH, 'cart/cart.yaml')).toBe(
      MANIFEST.replace('replicas: 2 #', 'replicas: 9 #'),
    );
  });

  it('closes the pull request with a comment when the drift resolved on its own', async () => {
    const first = await action.deliver(delivery('opened'), options);

    const result = await action.deliver(
      delivery('resolved', finding(), first.state),
      options,
    );

    expect(result).toMatchObject({
      status: 'delivered',
      summary: 'Closed PR #1: the drift resolved on its own',
    });
    expect(github.pulls[0].state).toBe('closed');
    expect(github.pulls[0].comments).toEqual([
      expect.stringContaining('The drift resolved on its own'),
    ]);
    expect(github.branches.has(BRANCH)).toBe(true);
    expect(
      await action.deliver(delivery('resolved', finding(), undefined), options),
    ).toMatchObject({
      status: 'skipped',
    });
  });

  it('follows the merge: a rescan, then non-convergence after the configured scans', async () => {
    const first = await action.deliver(delivery('opened'), options);
    expect(
      await action.refresh(finding(), first.state!, options),
    ).toBeUndefined();
    github.merge(1, '2025-01-10T10:00:00Z');

    const merged = await action.refresh(finding(), first.state!, options);
    expect(merged).toMatchObject({
      summary: 'PR #1 merged',
      rescan: true,
      state: { mergedAt: '2025-01-10T10:00:00Z' },
    });

    const requestsAfterMerge = github.requests.length;
    const scan1 = await action.refresh(
      finding({ lastSeenAt: '2025-01-10T10:05:00Z' }),
      merged!.state,
      options,
    );
    expect(scan1?.summary).toBeUndefined();
    const same = await action.refresh(
      finding({ lastSeenAt: '2025-01-10T10:05:00Z' }),
      scan1!.state,
      options,
    );
    expect(same).toBeUndefined();
    const scan2 = await action.refresh(
      finding({ lastSeenAt: '2025-01-10T10:10:00Z' }),
      scan1!.state,
      options,
    );
    expect(scan2?.summary).toBe(
      'Fix did not converge: still drifted after 2 scans since PR #1 merged',
    );
    const scan3 = await action.refresh(
      finding({ lastSeenAt: '2025-01-10T10:15:00Z' }),
      scan2!.state,
      options,
    );
    expect(scan3?.summary).toBeUndefined();
    expect(github.requests.length).toBe(requestsAfterMerge);
  });

  it('reports a pull request closed without merging once', async () => {
    const first = await action.deliver(delivery('opened'), options);
    github.pulls[0].state = 'closed';

    const closed = await action.refresh(finding(), first.state!, options);
    expect(closed?.summary).toBe('PR #1 closed without merging');
    expect(
      await action.refresh(finding(), closed!.state, options),
    ).toBeUndefined();
  });

  it.each([
    [429, { 'retry-after': '30' }, true, 30],
    [500, {}, true, undefined],
    [
      403,
      {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 60),
      },
      true,
      expect.any(Number),
    ],
    [404, {}, false, undefined],
  ])(
    'turns a %s from GitHub into a failure routing retries: %s',
    async (status, headers, retryable, wait) => {
      github.failNext(status, {
        headers,
        message: status === 404 ? 'Not Found' : undefined,
      });

      const error = await action
        .deliver(delivery('opened'), options)
        .catch(e => e);

      expect(error).toBeInstanceOf(ActionDeliveryError);
      expect(error).toMatchObject({ retryable, retryAfterSeconds: wait });
      expect(error.message).not.toContain(TOKEN);
    },
  );

  it('sends nothing in a dry run and records what it would send', async () => {
    const dry = GitHubPullRequestAction.fromConfig(
      new ConfigReader({
        integrations: {
          github: [{ host: 'github.example.com', apiBaseUrl: github.url }],
        },
        drift: { github: { enabled: true } },
      }),
    );
    expect(dry.isDryRun()).toBe(true);

    const result = await dry.deliver(delivery('opened'), options);

    expect(github.requests).toEqual([]);
    expect(result).toMatchObject({
      status: 'delivered',
      dryRun: true,
      summary: `Would open a pull request on acme/deploy from ${BRANCH}`,
      request: {
        repo: 'acme/deploy',
        base: 'main',
        branch: BRANCH,
        title: 'Drift hotfix: Deployment shop/cart (tier 1, high)',
        files: [
          {
            path: 'cart/cart.yaml',
            patch: [
              {
                field: 'spec.template.spec.containers[name=cart].image',
                op: 'set',
                value: 'registry.example.com/cart:1.1.0-hotfix',
              },
              { field: 'spec.replicas', op: 'set', value: 5 },
            ],
          },
        ],
      },
    });
    expect(
      GitHubPullRequestAction.fromConfig(
        gitHubConfig(github.url, { enabled: false }),
      ).isDryRun(),
    ).toBe(true);
  });

  it('skips a finding whose source is not on GitHub', async () => {
    const result = await action.deliver(
      delivery(
        'opened',
        finding({
          source: { location: 'file:../deploy/cart', file: 'cart.yaml' },
        }),
      ),
      options,
    );
    expect(result.status).toBe('skipped');
    expect(result.summary).toMatch(/^No pull request: /);
    expect(
      (
        await action.deliver(
          delivery('opened', finding({ source: undefined })),
          options,
        )
      ).status,
    ).toBe('skipped');
    expect(github.requests).toEqual([]);
  });
});
