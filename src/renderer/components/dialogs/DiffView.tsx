/** A unified diff, each line coloured by what it does; text only, never markup. */
export function DiffView({ diff }: { diff: string }) {
  if (!diff) return <p className="muted">The specs are the same.</p>;
  const lines = diff.replace(/\n$/, '').split('\n');
  return (
    <pre className="diff" data-testid="rollback-diff" aria-label="Spec changes">
      {lines.map((line, i) => {
        const kind =
          line.startsWith('+++') || line.startsWith('---')
            ? 'meta'
            : line.startsWith('@@')
              ? 'hunk'
              : line.startsWith('+')
                ? 'add'
                : line.startsWith('-')
                  ? 'del'
                  : 'same';
        return (
          <span key={i} className={`diff-line diff-${kind}`} data-kind={kind}>
            {kind === 'add' || kind === 'del' ? (
              <span className="visually-hidden">{kind === 'add' ? 'added: ' : 'removed: '}</span>
            ) : null}
            {line}
            {'\n'}
          </span>
        );
      })}
    </pre>
  );
}
