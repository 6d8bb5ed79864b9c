import { screen, within } from '@testing-library/react';
import type { EnvironmentComparison as Comparison } from '@driftwatch/plugin-drift-common';
import { renderDrift } from '../../__testUtils__/renderDrift';
import { EnvironmentComparison } from './EnvironmentComparison';

const comparison: Comparison = {
  entityRef: 'component:default/reviews-api',
  environments: ['production', 'staging'],
  objects: [
    {
      resourceKey: 'Deployment:shop:reviews-api',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'reviews-api',
      pairs: [
        {
          environments: ['production', 'staging'],
          locations: ['demo', 'demo-staging'],
          differences: [
            {
              path: '/spec/template/spec/containers/0/env/1/value',
              field:
                'spec.template.spec.containers[name=api].env[name=CACHE_TTL].value',
              category: 'ConfigurationChange',
              values: ['30', '300'],
            },
          ],
          declared: 2,
        },
      ],
    },
    {
      resourceKey: 'Service:shop:reviews-api',
      kind: 'Service',
      namespace: 'shop',
      name: 'reviews-api',
      pairs: [
        {
          environments: ['production', 'staging'],
          locations: ['demo', 'demo-staging'],
          differences: [],
          declared: 0,
        },
      ],
    },
  ],
};

describe('EnvironmentComparison', () => {
  it('lists the fields that differ live between environments but not in Git', async () => {
    const getEntityEnvironments = jest.fn(async () => comparison);
    await renderDrift(
      <EnvironmentComparison entityRef="component:default/reviews-api" />,
      {
        api: { getEntityEnvironments },
      },
    );

    const table = await screen.findByRole('table', {
      name: 'Deployment shop/reviews-api: production and staging',
    });
    expect(getEntityEnvironments).toHaveBeenCalledWith(
      'component:default/reviews-api',
    );
    const headers = within(table)
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    expect(headers).toEqual([
      'Field',
      'production (demo)',
      'staging (demo-staging)',
      'Category',
    ]);
    const [row] = within(table).getAllByRole('row').slice(1);
    expect(
      within(row)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual([
      'spec.template.spec.containers[name=api].env[name=CACHE_TTL].value',
      '"30"',
      '"300"',
      'ConfigurationChange',
    ]);
    // The Service matches where Git says it should: no table of its own.
    expect(
      screen.queryByRole('table', { name: /Service/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText(
        '2 differences that Git declares per environment are left out.',
      ),
    ).toBeInTheDocument();
  });

  it('says so when the environments differ only as Git declares', async () => {
    await renderDrift(
      <EnvironmentComparison entityRef="component:default/reviews-api" />,
      {
        api: {
          getEntityEnvironments: async () => ({
            ...comparison,
            objects: [comparison.objects[1]],
          }),
        },
      },
    );

    expect(
      await screen.findByText(
        'The one object running in several environments differs only where Git says it should.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});
