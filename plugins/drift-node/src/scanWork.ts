/**
 * Work of a scan round that unchanged state lets providers skip, counted so a rescan shows
 * what it did again.
 *
 * @public
 */
export type ScanWork =
  /** A tree (or a single file) read whole from its location. */
  | 'treesRead'
  /** A read answered "not modified" for the ETag (or file fingerprint) it was given. */
  | 'treesNotModified'
  /** A manifest file parsed. */
  | 'filesParsed'
  /** A Helm chart or Kustomize overlay rendered. */
  | 'rendersRun'
  /** A render whose inputs had not changed, so its last output was used. */
  | 'rendersSkipped'
  /** A resource compared by the engine. */
  | 'diffsComputed'
  /** A resource whose desired and live state were as at its last comparison. */
  | 'diffsSkipped';

/** Every {@link ScanWork}, with its name in log lines. @public */
export const SCAN_WORK: ReadonlyArray<{ work: ScanWork; label: string }> = [
  { work: 'treesRead', label: 'trees_read' },
  { work: 'treesNotModified', label: 'not_modified' },
  { work: 'filesParsed', label: 'files_parsed' },
  { work: 'rendersRun', label: 'renders_run' },
  { work: 'rendersSkipped', label: 'renders_skipped' },
  { work: 'diffsComputed', label: 'diffs_computed' },
  { work: 'diffsSkipped', label: 'diffs_skipped' },
];

/** Where providers count their work. @public */
export interface ScanWorkCounter {
  count(work: ScanWork, amount?: number): void;
}

/** The work of one scan round, counted in memory. @public */
export class ScanWorkCounts implements ScanWorkCounter {
  private readonly counts = new Map<ScanWork, number>();

  count(work: ScanWork, amount = 1): void {
    this.counts.set(work, this.get(work) + amount);
  }

  get(work: ScanWork): number {
    return this.counts.get(work) ?? 0;
  }

  /** `trees_read=2 not_modified=9 ...`, every counter, for a log line. */
  format(): string {
    return SCAN_WORK.map(
      ({ work, label }) => `${label}=${this.get(work)}`,
    ).join(' ');
  }
}
