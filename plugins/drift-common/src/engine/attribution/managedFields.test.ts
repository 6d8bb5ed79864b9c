import { ManagedFields } from './managedFields';
import { Path } from '../compare/path';
import type { JsonObject } from '../types';

const live: JsonObject = {
  metadata: {
    managedFields: [
      {
        manager: 'argocd-controller',
        operation: 'Apply',
        time: '2025-03-01T10:00:00Z',
        fieldsV1: {
          'f:spec': {
            'f:template': {
              'f:spec': {
                'f:containers': {
                  'k:{"name":"app"}': {
                    '.': {},
                    'f:image': {},
                    'f:args': {},
                    'f:ports': {
                      'k:{"containerPort":80,"protocol":"TCP"}': {
                        '.': {},
                        'f:containerPort': {},
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
      {
        manager: 'kubectl-set',
        operation: 'Update',
        time: '2025-03-02T09:00:00Z',
        fieldsV1: {
          'f:spec': {
            'f:template': {
              'f:spec': {
                'f:containers': { 'k:{"name":"app"}': { 'f:image': {} } },
              },
            },
          },
        },
      },
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        subresource: 'status',
        time: '2025-03-03T00:00:00Z',
        fieldsV1: { 'f:status': { 'f:replicas': {} } },
      },
    ],
  },
};

const container = Path.root()
  .field('spec')
  .field('template')
  .field('spec')
  .field('containers')
  .item(0, 0, 'name=app', { name: 'app' });

describe('managedFields attribution', () => {
  const fields = new ManagedFields(live);

  it('finds the manager that wrote a value last', () => {
    expect(fields.ownerOf(container.field('image'))).toEqual({
      manager: 'kubectl-set',
      operation: 'Update',
      time: '2025-03-02T09:00:00Z',
      subresource: undefined,
    });
  });

  it('treats a leaf as owning everything below it (atomic lists)', () => {
    expect(fields.ownerOf(container.field('args'))?.manager).toBe(
      'argocd-controller',
    );
  });

  it('matches list items by their merge keys, defaulted keys included', () => {
    const port = container
      .field('ports')
      .item(0, 0, 'containerPort=80', { containerPort: 80, protocol: 'TCP' });
    expect(fields.ownerOf(port.field('containerPort'))?.manager).toBe(
      'argocd-controller',
    );
  });

  it('keeps status and spec apart', () => {
    expect(
      fields.ownerOf(Path.root().field('spec').field('replicas')),
    ).toBeUndefined();
  });
});

describe('the most exact owner', () => {
  it('attributes a field to the manager that names it, not to one that set its parent empty', () => {
    const edited: JsonObject = {
      metadata: {
        managedFields: [
          {
            manager: 'kubectl-client-side-apply',
            operation: 'Update',
            time: '2026-12-02T08:00:00Z',
            fieldsType: 'FieldsV1',
            fieldsV1: { 'f:spec': { 'f:resources': {} } },
          },
          {
            manager: 'kubectl-set',
            operation: 'Update',
            time: '2026-12-02T07:00:00Z',
            fieldsType: 'FieldsV1',
            fieldsV1: { 'f:spec': { 'f:resources': { 'f:limits': { '.': {}, 'f:memory': {} } } } },
          },
        ],
      },
    };
    const owner = new ManagedFields(edited).ownerOf(
      Path.root().field('spec').field('resources').field('limits').field('memory'),
    );
    expect(owner?.manager).toBe('kubectl-set');
  });
});
