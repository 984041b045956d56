import { EmptyState } from '../components/EmptyState';

export function AppsPage() {
  return (
    <EmptyState title="No apps yet">
      Apps you deploy with Slipway, to this machine or to your servers, will be listed here with their deployments.
    </EmptyState>
  );
}
