import { useEffect, useState } from 'react';
import { copyText } from '../../lib/copy-text';

/**
 * A file the user may take over, read-only: the text as React text (never
 * markup), with a button that copies it to the clipboard.
 */
export function CodeBlock({
  title,
  text,
  copyLabel,
  testId,
}: {
  title: string;
  text: string;
  copyLabel: string;
  testId: string;
}) {
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), 2500);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = async () => setCopied((await copyText(text)) ? 'Copied' : 'Copy failed');
  return (
    <figure className="code-block" data-testid={testId}>
      <figcaption className="code-block-header">
        <span className="code-block-title mono">{title}</span>
        <span className="code-block-actions">
          <span className="copied" role="status">
            {copied}
          </span>
          <button
            type="button"
            className="button button-small"
            onClick={() => void copy()}
            data-testid={`${testId}-copy`}
          >
            {copyLabel}
          </button>
        </span>
      </figcaption>
      {/* Focusable so a long file scrolls from the keyboard. */}
      <pre className="code-block-text" tabIndex={0} aria-label={title} data-testid={`${testId}-text`}>
        <code>{text}</code>
      </pre>
    </figure>
  );
}
