import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Typography from '@material-ui/core/Typography';
import type { ReactNode } from 'react';
import { useId } from 'react';

/**
 * One key figure: its name, its value and what it is made of. The card is a labelled region,
 * so assistive technology (and tests) find a figure by its name.
 */
export const KpiCard = (props: {
  title: string;
  value: ReactNode;
  children?: ReactNode;
}) => {
  const id = useId();
  return (
    <Card component="section" aria-labelledby={id} style={{ height: '100%' }}>
      <CardContent>
        <Typography
          id={id}
          variant="subtitle2"
          component="h2"
          color="textSecondary"
        >
          {props.title}
        </Typography>
        <Typography variant="h3" component="p">
          {props.value}
        </Typography>
        {props.children && (
          <Typography variant="body2" component="div" color="textSecondary">
            {props.children}
          </Typography>
        )}
      </CardContent>
    </Card>
  );
};
