import { FakeArgoCdServer } from '../__testUtils__/FakeArgoCdServer';
import { cartApplication, cartDeployment } from '../__testUtils__/fixtures';
import { ArgoCdClient } from './ArgoCdClient';

const TOKEN = 'argocd-api-token';

describe('ArgoCdClient', () => {
  let server: FakeArgoCdServer;

  beforeEach(async () => {
    server = await FakeArgoCdServer.start(TOKEN);
    server.add(
      'cart-prod',
      cartApplication({ name: 'production', namespace: 'shop' }),
    );
  });

  afterEach(async () => {
    await server.stop();
  });

  const client = (token: string | null = TOKEN, timeoutMs = 2000) =>
    new ArgoCdClient(
      { name: 'main', url: server.url, token: token ?? undefined },
      timeoutMs,
    );

  it('reads the application and its rendered manifests with the bearer token', async () => {
    const app = { name: 'cart-prod' };

    const application = await client().getApplication(app);
    const manifests = await client().getManifests(app);

    expect(application.spec?.destination).toEqual({
      name: 'production',
      namespace: 'shop',
    });
    expect(application.status?.sync?.status).toBe('Synced');
    expect(manifests.map(m => JSON.parse(m))).toEqual([cartDeployment()]);
    expect(server.requests).toEqual([
      {
        path: '/api/v1/applications/cart-prod',
        query: {},
        authorization: `Bearer ${TOKEN}`,
      },
      {
        path: '/api/v1/applications/cart-prod/manifests',
        query: {},
        authorization: `Bearer ${TOKEN}`,
      },
    ]);
  });

  it('asks for an application in another namespace with appNamespace', async () => {
    server.add('cart-dev', {
      ...cartApplication({ name: 'production', namespace: 'shop-dev' }),
      appNamespace: 'team-shop',
    });

    const application = await client().getApplication({
      name: 'cart-dev',
      appNamespace: 'team-shop',
    });

    expect(application.spec?.destination?.namespace).toBe('shop-dev');
    expect(server.requests[0].query).toEqual({ appNamespace: 'team-shop' });
  });

  it('says Argo CD refused the token (401), without quoting it', async () => {
    const error = await client('a-revoked-token')
      .getManifests({ name: 'cart-prod' })
      .catch(e => e);

    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toBe(
      "Argo CD refused the token for app 'cart-prod' at instance main (HTTP 401)",
    );
    expect(error.message).not.toContain('a-revoked-token');
  });

  it('says there is no such application (404)', async () => {
    const error = await client()
      .getApplication({ name: 'checkout' })
      .catch(e => e);

    expect(error.name).toBe('NotFoundError');
    expect(error.message).toBe(
      "No Argo CD application 'checkout' at instance main",
    );
  });

  it('gives up on an instance that does not answer in time', async () => {
    server.slow(1000);

    const error = await client(TOKEN, 100)
      .getApplication({ name: 'cart-prod' })
      .catch(e => e);

    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toBe(
      "Argo CD instance main did not answer within 100 ms for app 'cart-prod'",
    );
  });

  it('sends nothing for an instance without a token', async () => {
    const error = await client(null)
      .getApplication({ name: 'cart-prod' })
      .catch(e => e);

    expect(error.message).toBe(
      'Argo CD instance main has no token in argocd.appLocatorMethods',
    );
    expect(server.requests).toEqual([]);
  });
});
