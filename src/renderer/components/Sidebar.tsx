import type { KeyboardEvent, ReactNode } from 'react';
import { useRef } from 'react';
import { PAGES, type PageId } from '../navigation';
import { rovingTarget } from '../lib/roving-focus';

const ICONS: Record<PageId, ReactNode> = {
  apps: (
    <svg viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <rect x="3" y="3" width="6" height="6" rx="1.5" />
      <rect x="11" y="3" width="6" height="6" rx="1.5" />
      <rect x="3" y="11" width="6" height="6" rx="1.5" />
      <rect x="11" y="11" width="6" height="6" rx="1.5" />
    </svg>
  ),
  servers: (
    <svg viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <rect x="3" y="3.5" width="14" height="5" rx="1.5" />
      <rect x="3" y="11.5" width="14" height="5" rx="1.5" />
      <circle cx="6" cy="6" r="0.9" className="icon-dot" />
      <circle cx="6" cy="14" r="0.9" className="icon-dot" />
    </svg>
  ),
  settings: (
    <svg viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path d="M4 6h8M15 6h1M4 14h2M9 14h7" />
      <circle cx="13.5" cy="6" r="1.75" />
      <circle cx="7.5" cy="14" r="1.75" />
    </svg>
  ),
};

export interface SidebarProps {
  active: PageId;
  onNavigate(page: PageId): void;
  /** Shown at the foot of the sidebar, e.g. the engine's status. */
  footer?: ReactNode;
}

/** The window's main navigation. Tab reaches each entry; the arrow keys move between them too. */
export function Sidebar({ active, onNavigate, footer }: SidebarProps) {
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const target = rovingTarget(event.key, index, PAGES.length, 'vertical');
    if (target === undefined) return;
    event.preventDefault();
    buttons.current[target]?.focus();
  };

  return (
    <aside className="sidebar">
      <div className="brand">
        <svg className="brand-mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M3 16.5 L12 5 L21 16.5" />
          <path d="M2 19.5 H22" />
        </svg>
        <span className="brand-name">Slipway</span>
      </div>
      <nav aria-label="Main">
        <ul className="nav-list">
          {PAGES.map((page, index) => (
            <li key={page.id}>
              <button
                type="button"
                ref={(element) => {
                  buttons.current[index] = element;
                }}
                className="nav-item"
                aria-current={page.id === active ? 'page' : undefined}
                onClick={() => onNavigate(page.id)}
                onKeyDown={(event) => onKeyDown(event, index)}
              >
                {ICONS[page.id]}
                <span>{page.title}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {footer ? <div className="sidebar-footer">{footer}</div> : null}
    </aside>
  );
}
