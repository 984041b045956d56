import { EmptyState } from '../components/EmptyState';
import { EngineStatus } from '../components/EngineStatus';
import { PageHeader } from '../components/PageHeader';
import { useStores } from '../stores/context';

export function ServersPage() {
  const { system } = useStores();
  return (
    <>
      <PageHeader title="Servers" />
      <div className="page-body">
        <EngineStatus store={system} />
        <EmptyState title="No servers yet">
          Servers you add over SSH will be listed here, each with its own Docker engine. This machine&apos;s engine is
          shown above.
        </EmptyState>
      </div>
    </>
  );
}
