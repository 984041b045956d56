import { describeTransportConformance } from '../../../test/support/transport-conformance';
import { inProcessTransport } from './in-process-transport';

describeTransportConformance('in-process', async (router) => ({ transport: inProcessTransport(router), close() {} }));
