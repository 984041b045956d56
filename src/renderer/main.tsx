import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { contract } from '../shared/contract';
import { createClient } from '../shared/rpc/client';
import { App } from './App';
import { createSystemStore } from './stores/system-store';
import { connectTransport } from './transport';
import './styles.css';

// First, before anything else can read or log the address: it may carry the socket token.
const { transport } = connectTransport();
const client = createClient(contract, transport);
const systemStore = createSystemStore(client);

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <App systemStore={systemStore} />
  </StrictMode>,
);
