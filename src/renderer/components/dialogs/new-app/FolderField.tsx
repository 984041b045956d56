import type { ReactNode } from 'react';
import { desktopBridge } from '../../../lib/desktop';
import { describeError } from '../../../lib/errors';
import { useStores } from '../../../stores/context';

/** A path field; in the desktop app, with a button that opens the system's folder picker. */
export function FolderField({
  label,
  value,
  onChange,
  placeholder,
  hint,
  testId,
  autoFocus,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  placeholder: string;
  hint: ReactNode;
  testId: string;
  autoFocus?: boolean;
}) {
  const desktop = desktopBridge();
  const { ui } = useStores();
  const choose = async () => {
    try {
      const folder = await desktop?.pickFolder({
        title: label,
        ...(value.trim() ? { defaultPath: value.trim() } : {}),
      });
      if (folder) onChange(folder);
    } catch (err) {
      // The path can still be typed; the user learns why the picker did not open.
      ui.getState().toast({ tone: 'danger', text: `The folder picker failed: ${describeError(err).message}` });
    }
  };
  return (
    <div className="field">
      <label htmlFor={`${testId}-input`}>{label}</label>
      <span className="input-with-button">
        <input
          id={`${testId}-input`}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          data-testid={testId}
          data-autofocus={autoFocus ? '' : undefined}
        />
        {desktop ? (
          <button type="button" className="button" onClick={() => void choose()} data-testid={`${testId}-choose`}>
            Choose folder…
          </button>
        ) : null}
      </span>
      <span className="field-hint">{hint}</span>
    </div>
  );
}
