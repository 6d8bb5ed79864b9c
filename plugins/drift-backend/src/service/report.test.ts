import type { ReviewReport } from './report';
import { reportToCsv, reportToMarkdown } from './report';
import type { Finding } from '../store/types';

const finding: Finding = {
  id: 'f1',
  entityRef: 'component:default/cart',
  provider: 'terraform',
  location: 'url:https://example.com/plan.json',
  resourceKey: 'aws_s3_bucket.logs[0]',
  kind: 'aws_s3_bucket',
  namespace: null,
  name: 'aws_s3_bucket.logs[0]',
  resourceStatus: 'drifted',
  status: 'active',
  severity: 'high',
  score: 3,
  categories: ['ConfigurationChange'],
  changes: [],
  tier: 2,
  // Owners and entity names come from catalog files anyone may write.
  owner: '\t=HYPERLINK("https://evil.example")',
  system: null,
  firstDetectedAt: '2026-11-01T00:00:00.000Z',
  openedAt: '2026-11-01T00:00:00.000Z',
  lastSeenAt: '2026-11-02T00:00:00.000Z',
  resolvedAt: null,
  slaDueAt: null,
  slaBreached: false,
  acknowledgedBy: null,
  acknowledgedAt: null,
  acknowledgeNote: null,
  suppressedBy: null,
  suppressedUntil: null,
  suppressReason: null,
  closeReason: null,
  environment: null,
};

const report = (f: Finding): ReviewReport => ({
  from: '2026-11-01T00:00:00.000Z',
  to: '2026-11-15T00:00:00.000Z',
  newFindings: [f],
  resolved: [],
  stillOpen: [f],
  breaches: [],
  counts: { newFindings: 1, resolved: 0, stillOpen: 1, breaches: 0 },
  topOwners: [{ owner: f.owner ?? 'unowned', open: 1, breached: 0 }],
  topCategories: [{ category: 'ConfigurationChange', open: 1 }],
  incidents: [],
});

describe('reportToCsv', () => {
  it('keeps cells a spreadsheet would run as formulas as text', () => {
    const csv = reportToCsv(report({ ...finding, entityRef: '\rcmd|calc' }));
    const [, row] = csv.split('\n');
    expect(row).toContain(`"'\rcmd|calc"`);
    expect(row).toContain(`"'\t=HYPERLINK(""https://evil.example"")"`);
  });
});

describe('reportToMarkdown', () => {
  it('renders catalog text as text: no links, HTML or table breaks', () => {
    const markdown = reportToMarkdown(
      report({ ...finding, owner: '[click](https://evil.example)', entityRef: 'a|b\n<img src=x>' }),
    );
    expect(markdown).toContain('| a\\|b \\<img src=x\\> |');
    expect(markdown).toContain('\\[click\\](https://evil.example)');
    expect(markdown).not.toMatch(/[^\\]\[click/);
    expect(markdown).not.toMatch(/[^\\]<img/);
  });
});
