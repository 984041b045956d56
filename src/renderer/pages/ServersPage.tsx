import { EmptyState } from '../components/EmptyState';

export function ServersPage() {
  return (
    <EmptyState title="No servers yet">
      Servers you add over SSH will be listed here, each with its own Docker engine. This machine&apos;s engine is shown
      below.
    </EmptyState>
  );
}
