import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { rovingTarget } from '../lib/roving-focus';

export interface MenuItem {
  id: string;
  label: string;
  onSelect(): void;
  disabled?: boolean;
  /** Why it is disabled, said as its description. */
  hint?: string;
  tone?: 'danger';
  /** Starts a new group with a separator above. */
  separated?: boolean;
}

export interface MenuProps {
  label: string;
  items: MenuItem[];
  /** The button's content; the label is its accessible name. */
  trigger?: ReactNode;
  className?: string;
  /** A borderless button, for menus on cards. */
  quiet?: boolean;
  testId?: string;
}

/**
 * A menu button (WAI-ARIA menu pattern): Enter, Space or ArrowDown opens it,
 * the arrows, Home and End move, Escape closes and gives focus back, Tab
 * leaves it; a click outside closes it.
 */
export function Menu({ label, items, trigger, className, quiet, testId }: MenuProps) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const menuId = useId();

  const enabled = () => [
    ...(listRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? []),
  ];

  useEffect(() => {
    if (!open) return;
    enabled()[0]?.focus();
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!listRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const close = (focusButton: boolean) => {
    setOpen(false);
    if (focusButton) buttonRef.current?.focus();
  };

  const onMenuKey = (event: KeyboardEvent<HTMLUListElement>) => {
    const list = enabled();
    const index = list.indexOf(document.activeElement as HTMLButtonElement);
    const next = rovingTarget(event.key, index, list.length, 'vertical');
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
      return;
    } else if (event.key === 'Tab') {
      setOpen(false);
      return;
    }
    if (next !== undefined) {
      event.preventDefault();
      list[next]?.focus();
    }
  };

  const onButtonKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
    }
  };

  return (
    <div className={`menu ${className ?? ''}`}>
      <button
        ref={buttonRef}
        type="button"
        className={`button menu-button ${quiet ? 'button-quiet' : ''}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={trigger ? label : undefined}
        title={trigger ? label : undefined}
        onClick={() => setOpen((value) => !value)}
        onKeyDown={onButtonKey}
        data-testid={testId}
      >
        {trigger ?? label}
      </button>
      {open ? (
        <ul ref={listRef} id={menuId} className="menu-list" role="menu" aria-label={label} onKeyDown={onMenuKey}>
          {items.map((item) => (
            <li key={item.id} role="none" className={item.separated ? 'menu-separated' : undefined}>
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                className={`menu-item ${item.tone === 'danger' ? 'menu-item-danger' : ''}`}
                aria-disabled={item.disabled ? true : undefined}
                title={item.disabled ? item.hint : undefined}
                onClick={() => {
                  if (item.disabled) return;
                  // Focus goes back to the button first, so a dialog the item opens returns it there.
                  close(true);
                  item.onSelect();
                }}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
