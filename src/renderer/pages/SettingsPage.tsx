import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';

export function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" />
      <div className="page-body">
        <EmptyState title="Nothing to set yet">
          Slipway has no settings of its own yet. The window follows your system&apos;s light or dark theme.
        </EmptyState>
      </div>
    </>
  );
}
