import TextField from '@material-ui/core/TextField';
import { useId } from 'react';
import { LABEL_STYLE } from '../../utils/styles';

/** One choice of a filter; a choice can stand for several API values ("high or critical"). */
export interface FilterOption {
  label: string;
  value: string[];
}

const encode = (values: string[]) => values.join(',');

/**
 * A labelled native select for one filter. The empty choice ("Any ...") clears the filter.
 * Native selects keep keyboard and screen-reader behaviour the browser's own.
 */
export const FilterSelect = (props: {
  label: string;
  anyLabel: string;
  options: FilterOption[];
  value: string[];
  onChange: (value: string[]) => void;
  disabled?: boolean;
  minWidth?: number;
}) => {
  const {
    label,
    anyLabel,
    options,
    value,
    onChange,
    disabled,
    minWidth = 160,
  } = props;
  const id = useId();
  const current = encode(value);
  // A shared link may carry a combination no choice offers; show it rather than hide it.
  const all =
    current && !options.some(o => encode(o.value) === current)
      ? [...options, { label: value.join(', '), value }]
      : options;
  return (
    <TextField
      id={id}
      select
      label={label}
      value={current}
      onChange={event =>
        onChange(event.target.value ? event.target.value.split(',') : [])
      }
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true, style: LABEL_STYLE }}
      variant="outlined"
      size="small"
      disabled={disabled}
      style={{ minWidth }}
    >
      <option value="">{anyLabel}</option>
      {all.map(option => (
        <option key={encode(option.value)} value={encode(option.value)}>
          {option.label}
        </option>
      ))}
    </TextField>
  );
};
