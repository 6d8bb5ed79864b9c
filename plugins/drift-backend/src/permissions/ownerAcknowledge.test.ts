import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { driftFindingAcknowledgePermission } from '@driftwatch/plugin-drift-common';
import request from 'supertest';
import { component, createWorld, deployment, scan } from '../__testUtils__/world';
import { driftPlugin } from '../plugin';
import { driftFindingConditions } from './rules';

jest.setTimeout(60_000);

describe('acknowledging through the permission framework', () => {
  it("lets the entity's owner acknowledge and refuses others", async () => {
    const world = createWorld();
    world.desired.set('cart', [deployment('cart', 'cart:1.0')]);
    world.live.set('cart', [deployment('cart', 'cart:1.1')]);

    // Plays the permission backend with the README's policy: a conditional decision
    // (IS_FINDING_OWNER with the user's ownership refs) that it resolves by calling the drift
    // plugin's apply-conditions endpoint, as the real permission backend does.
    const backend: { server?: any } = {};
    const permissions = mockServices.permissions.mock({
      async authorizeConditional(requests) {
        return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
      },
      async authorize(requests, { credentials }) {
        const user = (credentials.principal as { userEntityRef?: string }).userEntityRef ?? '';
        return Promise.all(
          requests.map(async r => {
            if (r.permission.name !== driftFindingAcknowledgePermission.name) {
              return { result: AuthorizeResult.ALLOW };
            }
            const res = await request(backend.server)
              .post('/api/drift/.well-known/backstage/permissions/apply-conditions')
              .set('authorization', mockCredentials.service.header())
              .send({
                items: [
                  {
                    id: '1',
                    resourceType: 'drift-finding',
                    resourceRef: (r as { resourceRef: string }).resourceRef,
                    conditions: driftFindingConditions.isFindingOwner({ claims: [user] }),
                  },
                ],
              });
            expect(res.status).toBe(200);
            return { result: res.body.items[0].result };
          }),
        );
      },
    });

    const { server } = await startTestBackend({
      features: [
        driftPlugin,
        world.module,
        permissions.factory,
        catalogServiceMock.factory({ entities: [component('cart', 'user:default/alice')] }),
      ],
    });
    backend.server = server;
    await scan(server);
    const [finding] = (await request(server).get('/api/drift/findings')).body.items;
    expect(finding.owner).toBe('user:default/alice');

    const asBob = await request(server)
      .post(`/api/drift/findings/${finding.id}/acknowledge`)
      .set('authorization', mockCredentials.user.header('user:default/bob'))
      .send({ note: 'not mine' });
    expect(asBob.status).toBe(403);

    const asAlice = await request(server)
      .post(`/api/drift/findings/${finding.id}/acknowledge`)
      .set('authorization', mockCredentials.user.header('user:default/alice'))
      .send({ note: 'mine, fixing today' });
    expect(asAlice.status).toBe(200);
    expect(asAlice.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'user:default/alice' });

    const { body } = await request(server).get(`/api/drift/findings/${finding.id}`);
    const lifecycle = body.events.filter((e: any) => e.type !== 'routed');
    expect(lifecycle.map((e: any) => [e.type, e.actor])).toEqual([
      ['detected', 'driftwatch'],
      ['acknowledged', 'user:default/alice'],
    ]);
  });
});
