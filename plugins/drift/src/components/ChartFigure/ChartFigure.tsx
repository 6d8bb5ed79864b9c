import Box from '@material-ui/core/Box';
import type { ReactNode } from 'react';

/**
 * A chart with an accessible name: screen readers get the summary instead of the SVG's
 * shapes, which say nothing on their own.
 */
export const ChartFigure = (props: {
  summary: string;
  height?: number;
  children: ReactNode;
}) => (
  <Box
    role="img"
    aria-label={props.summary}
    height={props.height ?? 280}
    width="100%"
  >
    {props.children}
  </Box>
);
