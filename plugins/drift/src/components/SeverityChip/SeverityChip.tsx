import Chip from '@material-ui/core/Chip';
import type { Severity } from '@driftwatch/plugin-drift-common';
import { SEVERITY_COLORS, SEVERITY_TEXT_COLORS } from '../../utils/severity';

/** A finding's or a change's severity, in the colour the charts use for it. */
export const SeverityChip = (props: {
  severity: Severity | null | undefined;
}) => {
  const { severity } = props;
  if (!severity) return <>—</>;
  return (
    <Chip
      size="small"
      label={severity}
      style={{
        backgroundColor: SEVERITY_COLORS[severity],
        color: SEVERITY_TEXT_COLORS[severity],
        margin: 0,
      }}
    />
  );
};
