import { useRef, type KeyboardEvent } from 'react';
import { rovingTarget } from '../lib/roving-focus';

export interface TabItem<T extends string> {
  id: T;
  title: string;
}

/**
 * A tab list (WAI-ARIA tabs pattern): Tab reaches the selected tab, the arrow
 * keys, Home and End move between tabs and select them.
 */
export function Tabs<T extends string>({
  label,
  tabs,
  selected,
  onSelect,
  idPrefix,
  variant = 'underline',
  testId,
}: {
  label: string;
  tabs: ReadonlyArray<TabItem<T>>;
  selected: T;
  onSelect(id: T): void;
  idPrefix: string;
  variant?: 'underline' | 'segmented';
  testId?: string;
}) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const target = rovingTarget(event.key, index, tabs.length, 'horizontal');
    if (target === undefined) return;
    event.preventDefault();
    refs.current[target]?.focus();
    onSelect(tabs[target]!.id);
  };
  return (
    <div role="tablist" aria-label={label} className={`tabs tabs-${variant}`} data-testid={testId}>
      {tabs.map((tab, index) => (
        <button
          key={tab.id}
          ref={(el) => {
            refs.current[index] = el;
          }}
          type="button"
          role="tab"
          id={`${idPrefix}-tab-${tab.id}`}
          aria-selected={tab.id === selected}
          aria-controls={`${idPrefix}-panel`}
          tabIndex={tab.id === selected ? 0 : -1}
          className="tab"
          onClick={() => onSelect(tab.id)}
          onKeyDown={(event) => onKeyDown(event, index)}
        >
          {tab.title}
        </button>
      ))}
    </div>
  );
}
