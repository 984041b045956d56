import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { contract } from '../shared/contract';
import { createClient } from '../shared/rpc/client';
import { App } from './App';
import { ClientContext } from './client';
import { contractFollow } from './logs/log-session';
import { boundedFollow, FollowLogsContext } from './logs/log-stream';
import { createAppsStore } from './stores/apps-store';
import { StoresContext, type Stores } from './stores/context';
import { browserNotifier, startDeploymentNotifications } from './stores/notifications';
import { createServersStore } from './stores/servers-store';
import { createSystemStore } from './stores/system-store';
import { createUiStore } from './stores/ui-store';
import { connectTransport } from './transport';
import './styles.css';

// First, before anything else can read or log the address: it may carry the socket token.
const { transport, followBounded } = connectTransport();
const client = createClient(contract, transport);
const followLogs = followBounded ? boundedFollow(followBounded) : contractFollow(client);
const stores: Stores = {
  system: createSystemStore(client),
  apps: createAppsStore(client),
  servers: createServersStore(client),
  ui: createUiStore(),
};
startDeploymentNotifications(stores.apps, browserNotifier());

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <FollowLogsContext.Provider value={followLogs}>
        <StoresContext.Provider value={stores}>
          <App />
        </StoresContext.Provider>
      </FollowLogsContext.Provider>
    </ClientContext.Provider>
  </StrictMode>,
);
