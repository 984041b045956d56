import type { ReactNode } from 'react';

/** A checkbox with a bold title and a line that says what it does. */
export function CheckOption({
  checked,
  onChange,
  title,
  children,
  testId,
}: {
  checked: boolean;
  onChange(checked: boolean): void;
  title: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        data-testid={testId}
      />
      <span>
        <strong>{title}</strong>
        <span className="muted">{children}</span>
      </span>
    </label>
  );
}
