import type { ServiceEndpoint } from '../../../shared/deployment';
import type { ComponentSpec } from '../../../shared/spec/app-spec';
import type { Upstream } from '../edge/service-router';
import { serviceUrl } from '../edge/service-url';
import type { DockerHost } from '../hosts/docker-host';
import type { RunContext } from './run-context';

/** The edge route of a service. */
export function routeKey(app: string, component: string): string {
  return `${app}/${component}`;
}

/** The instances behind a route: each published port, reached over the host's loopback; instances without one are left out. */
export function upstreamsFor(
  host: Pick<DockerHost, 'connectLoopback'>,
  ports: Array<number | null | undefined>,
): Upstream[] {
  return ports
    .filter((port): port is number => Boolean(port))
    .map((port) => ({ port, connect: () => host.connectLoopback(port) }));
}

/** Points a service's stable port at the instances publishing `ports`; resolves once connections go there. */
export async function routeService(run: RunContext, component: string, ports: Array<number | null | undefined>) {
  await run.edge.setRoute(
    routeKey(run.app.name, component),
    run.app.hostPorts[component]!,
    upstreamsFor(run.host, ports),
  );
}

/** The switch: each service's stable port goes to its new instances. Returns where the services answer. */
export async function goLive(
  run: RunContext,
  services: Array<{ component: ComponentSpec; instances: Array<{ hostPort: number | null }> }>,
): Promise<ServiceEndpoint[]> {
  const endpoints: ServiceEndpoint[] = [];
  for (const { component, instances } of services) {
    const port = run.app.hostPorts[component.name]!;
    await routeService(
      run,
      component.name,
      instances.map((i) => i.hostPort),
    );
    endpoints.push({ component: component.name, hostPort: port, url: serviceUrl(port) });
    run.log.write('deploy', `${component.name} answers at ${serviceUrl(port)}`, component.name);
  }
  return endpoints;
}
