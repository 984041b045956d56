import { useMemo, useRef, type UIEvent } from 'react';
import type { SpecProblem } from '../../shared/spec/app-spec';
import { lineOfField } from '../lib/spec-lines';

export interface LocatedProblem extends SpecProblem {
  severity: 'error' | 'warning';
  line: number | null;
}

/** Finds where each problem's field is written in the YAML. */
export function locateProblems(yaml: string, errors: SpecProblem[], warnings: SpecProblem[]): LocatedProblem[] {
  const at = (p: SpecProblem, severity: LocatedProblem['severity']): LocatedProblem => {
    // YAML syntax errors name their line in the message rather than a field.
    const syntax = /\bline (\d+)\b/.exec(p.message);
    const line = p.path ? lineOfField(yaml, p.path) : syntax ? Number(syntax[1]) : null;
    return { ...p, severity, line };
  };
  return [...errors.map((p) => at(p, 'error')), ...warnings.map((p) => at(p, 'warning'))];
}

function selectLine(area: HTMLTextAreaElement, line: number): void {
  const lines = area.value.split('\n');
  const start = lines.slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0);
  const end = start + (lines[line - 1]?.length ?? 0);
  area.focus();
  area.setSelectionRange(start, end);
  const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 20;
  area.scrollTop = Math.max(0, (line - 4) * lineHeight);
}

/**
 * A plain text editor for an app spec, with line numbers and the spec's
 * errors and warnings marked at the lines of their fields.
 */
export function SpecEditor({
  id,
  value,
  onChange,
  problems,
  label,
  rows = 18,
  testId,
}: {
  id: string;
  value: string;
  onChange(value: string): void;
  problems: LocatedProblem[];
  label: string;
  rows?: number;
  testId?: string;
}) {
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const gutterRef = useRef<HTMLDivElement>(null);
  const lineCount = useMemo(() => value.split('\n').length, [value]);
  const byLine = useMemo(() => {
    const map = new Map<number, LocatedProblem[]>();
    for (const p of problems) if (p.line !== null) map.set(p.line, [...(map.get(p.line) ?? []), p]);
    return map;
  }, [problems]);

  const onScroll = (event: UIEvent<HTMLTextAreaElement>) => {
    if (gutterRef.current) gutterRef.current.scrollTop = event.currentTarget.scrollTop;
  };

  return (
    <div className="spec-editor-wrap">
      <div className="spec-editor" style={{ ['--rows' as string]: rows }}>
        <div className="spec-gutter" ref={gutterRef} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => {
            const marks = byLine.get(i + 1);
            const severity = marks?.some((m) => m.severity === 'error') ? 'error' : marks ? 'warning' : null;
            return (
              <div
                key={i}
                className={`gutter-line ${severity ? `gutter-${severity}` : ''}`}
                title={marks?.map((m) => `${m.path}: ${m.message}`).join('\n')}
              >
                {severity ? <span className="gutter-mark" /> : null}
                {i + 1}
              </div>
            );
          })}
        </div>
        <textarea
          id={id}
          ref={areaRef}
          className="spec-textarea"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          onScroll={onScroll}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          wrap="off"
          aria-label={label}
          aria-invalid={problems.some((p) => p.severity === 'error')}
          data-testid={testId}
        />
      </div>
      {problems.length > 0 ? (
        <ul className="problem-list" aria-label="Spec problems" data-testid="spec-problems">
          {problems.map((p, index) => (
            <li key={index} className={`problem problem-${p.severity}`} data-severity={p.severity} data-path={p.path}>
              <button
                type="button"
                className="problem-jump"
                disabled={p.line === null}
                onClick={() => p.line !== null && areaRef.current && selectLine(areaRef.current, p.line)}
              >
                <span className="problem-kind">{p.severity === 'error' ? 'Error' : 'Warning'}</span>
                <span className="problem-line mono">{p.line !== null ? `line ${p.line}` : ''}</span>
                <code className="problem-path">{p.path || '(spec)'}</code>
                <span className="problem-message">{p.message}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
