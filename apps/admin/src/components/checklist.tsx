import { Checkbox } from './field.tsx';

interface ChecklistProps<Name extends string> {
  legend: string;
  /** Say the legend to screen readers only, where a heading nearby already shows it. */
  hideLegend?: boolean;
  /** A class beside `checkbox-list`, for a list laid out its own way. */
  className?: string;
  /** Each choice, shown with its description. */
  options: readonly { name: Name; description?: string }[];
  selected: readonly Name[];
  onChange(selected: Name[]): void;
  disabled: boolean;
  /** The checkboxes' `name`. */
  inputName?: string;
}

/** A set of names to pick from, one checkbox each. */
export function Checklist<Name extends string>({
  legend,
  hideLegend = false,
  className,
  options,
  selected,
  onChange,
  disabled,
  inputName,
}: ChecklistProps<Name>) {
  return (
    <fieldset className={className ? `checkbox-list ${className}` : 'checkbox-list'}>
      <legend className={hideLegend ? 'visually-hidden' : undefined}>{legend}</legend>
      {options.map(({ name, description }) => (
        <Checkbox
          key={name}
          label={name}
          name={inputName}
          hint={description}
          checked={selected.includes(name)}
          disabled={disabled}
          onChange={(checked) => onChange(checked ? [...selected, name] : selected.filter((other) => other !== name))}
        />
      ))}
    </fieldset>
  );
}
