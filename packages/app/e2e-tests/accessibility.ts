import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * Runs axe on the whole page as it is now and fails on serious or critical violations, naming
 * each rule and the elements that break it.
 */
export async function expectNoSeriousA11yViolations(
  page: Page,
  pageName: string,
) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter(
    v => v.impact === 'serious' || v.impact === 'critical',
  );
  // eslint-disable-next-line no-console
  console.log(
    `axe ${pageName}: ${violations.length} violation(s), ${serious.length} serious or critical`,
  );
  expect(
    serious.map(
      v =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 5)
          .map(n => n.target.join(' '))
          .join(', ')}`,
    ),
    `serious or critical axe violations on ${pageName}`,
  ).toEqual([]);
}
