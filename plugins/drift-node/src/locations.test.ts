import type { Entity } from '@backstage/catalog-model';
import { readEntityLocations } from './locations';

const ANNOTATION = 'driftwatch.io/source';

function entity(value: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'cart',
      annotations: {
        [ANNOTATION]: value,
        'backstage.io/managed-by-location': 'file:/repo/catalog/components.yaml',
      },
    },
  };
}

describe('readEntityLocations', () => {
  it('reads a location without an environment as before', () => {
    expect(readEntityLocations(entity('url:https://github.com/acme/deploy/tree/main/cart'), ANNOTATION)).toEqual([
      { type: 'url', ref: 'url:https://github.com/acme/deploy/tree/main/cart', url: 'https://github.com/acme/deploy/tree/main/cart' },
    ]);
  });

  it('reads one location per environment', () => {
    const locations = readEntityLocations(
      entity(
        'production=url:https://git.example.com/cart/overlays/prod?ref=main, staging = file:../gitops/cart/staging\n' +
          'url:https://git.example.com/cart/common',
      ),
      ANNOTATION,
    );
    expect(locations).toEqual([
      {
        type: 'url',
        ref: 'url:https://git.example.com/cart/overlays/prod?ref=main',
        url: 'https://git.example.com/cart/overlays/prod?ref=main',
        environment: 'production',
      },
      { type: 'file', ref: 'file:../gitops/cart/staging', path: '/repo/gitops/cart/staging', environment: 'staging' },
      { type: 'url', ref: 'url:https://git.example.com/cart/common', url: 'https://git.example.com/cart/common' },
    ]);
  });

  it('refuses an environment prefix before anything but a location', () => {
    expect(() => readEntityLocations(entity('production=https://git.example.com/cart'), ANNOTATION)).toThrow(
      "driftwatch.io/source location 'production=https://git.example.com/cart' must start with 'url:' or 'file:', " +
        "optionally after an environment ('production=url:...')",
    );
    expect(() => readEntityLocations(entity('staging=file:/etc/passwd'), ANNOTATION)).toThrow(/absolute path/);
  });
});
