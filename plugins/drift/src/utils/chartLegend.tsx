import { useTheme } from '@material-ui/core/styles';
import type { ReactNode } from 'react';

/**
 * Legend labels in the text colour: recharts colours them like their series, which leaves
 * yellow or light labels unreadable on a light background.
 */
export function useLegendFormatter() {
  const theme = useTheme();
  return (value: ReactNode) => (
    <span style={{ color: theme.palette.text.primary }}>{value}</span>
  );
}
