import { EmptyState } from '../components/EmptyState';

export function SettingsPage() {
  return <EmptyState title="Nothing to set yet">Slipway has no settings of its own yet.</EmptyState>;
}
