import type { ReactNode } from 'react';

export function PageHeader({
  title,
  children,
  before,
}: {
  title: ReactNode;
  children?: ReactNode;
  before?: ReactNode;
}) {
  return (
    <header className="page-header">
      {before}
      <div className="page-header-row">
        <h1>{title}</h1>
        {children ? <div className="page-actions">{children}</div> : null}
      </div>
    </header>
  );
}
