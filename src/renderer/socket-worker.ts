import { socketClientTransport } from '../shared/rpc/socket-client-transport';
import { serveWorkerTransport, type FromWorker, type ToWorker } from './worker-transport';

// A dedicated worker: its global scope posts to the page that started it.
const scope = self as unknown as {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (event: { data: ToWorker }) => void): void;
};

const serve = serveWorkerTransport(scope, (url) => socketClientTransport(new WebSocket(url)));
scope.addEventListener('message', ({ data }) => void serve(data));
