import { type ReactNode, useId } from 'react';

export interface ControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

interface FieldProps {
  label: string;
  /** The server's message for this field; shown under it and announced by screen readers. */
  error?: string | undefined;
  hint?: string | undefined;
  children: (control: ControlProps) => ReactNode;
}

/** A labelled control with its hint and error; the control itself comes from `children`. */
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

interface TextFieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string | undefined;
  hint?: string | undefined;
  type?: 'text' | 'email' | 'password' | 'search' | 'url' | 'tel' | 'datetime-local' | 'number';
  multiline?: boolean;
  name?: string;
  autoComplete?: string;
  required?: boolean;
  readOnly?: boolean;
  placeholder?: string;
  step?: string;
  inputMode?: 'numeric' | 'text';
}

export function TextField({ label, value, onChange, error, hint, multiline, ...input }: TextFieldProps) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(control) =>
        multiline ? (
          <textarea {...control} {...input} value={value} rows={4} onChange={(event) => onChange(event.target.value)} />
        ) : (
          <input {...control} type="text" {...input} value={value} onChange={(event) => onChange(event.target.value)} />
        )
      }
    </Field>
  );
}

interface SelectFieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  options: readonly (string | { value: string; label: string })[];
  error?: string | undefined;
  name?: string;
  disabled?: boolean;
}

export function SelectField({ label, value, onChange, options, error, ...select }: SelectFieldProps) {
  return (
    <Field label={label} error={error}>
      {(control) => (
        <select {...control} {...select} value={value} onChange={(event) => onChange(event.target.value)}>
          {options.map((option) => {
            const { value: optionValue, label: optionLabel } = typeof option === 'string' ? { value: option, label: option } : option;
            return (
              <option key={optionValue} value={optionValue}>
                {optionLabel}
              </option>
            );
          })}
        </select>
      )}
    </Field>
  );
}

interface CheckboxProps {
  label: string;
  checked: boolean;
  onChange(checked: boolean): void;
  disabled?: boolean;
  name?: string;
  hint?: string;
  /** A fuller name for assistive technology when the visible label is terse. */
  ariaLabel?: string;
}

export function Checkbox({ label, checked, onChange, hint, ariaLabel, ...input }: CheckboxProps) {
  const id = useId();
  return (
    <div className="checkbox">
      <input
        id={id}
        type="checkbox"
        aria-label={ariaLabel}
        {...input}
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
      />
      <label htmlFor={id}>
        {label}
        {hint && <span className="field-hint"> — {hint}</span>}
      </label>
    </div>
  );
}
