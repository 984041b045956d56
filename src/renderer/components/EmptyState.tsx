import type { ReactNode } from 'react';

/** What a page shows while it has nothing real to list. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="panel empty-state">
      <h2 className="empty-title">{title}</h2>
      <p className="muted">{children}</p>
    </div>
  );
}
