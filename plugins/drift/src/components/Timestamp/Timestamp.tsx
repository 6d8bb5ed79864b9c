import { formatAbsolute, formatRelative } from '../../utils/time';

/**
 * A point in time as people read it: relative ("3 days ago"), with the absolute date in the
 * tooltip, or both side by side.
 */
export const Timestamp = (props: {
  value: string | null | undefined;
  showAbsolute?: boolean;
}) => {
  const { value, showAbsolute } = props;
  if (!value) return <>—</>;
  const absolute = formatAbsolute(value);
  const relative = formatRelative(value);
  return (
    <time dateTime={value} title={absolute}>
      {showAbsolute ? `${relative} (${absolute})` : relative}
    </time>
  );
};
