import type { Duplex } from 'node:stream';
import type { PathTarget } from './path-router';

/** One instance behind a service's stable port. */
export interface Upstream {
  /** The instance's published port on the host's loopback. */
  port: number;
  connect(): Promise<Duplex>;
}

/**
 * One route as a deployment wants it: a service's stable port and its instances, or an app's URL that
 * sends each HTTP request by its path to a component's stable port (`paths`; then `upstreams` is empty).
 */
export interface RouteChange {
  key: string;
  port: number;
  upstreams: Upstream[];
  paths?: PathTarget[];
}

/**
 * Gives each service one stable port on 127.0.0.1 and forwards connections to
 * its live instances. Swapping the instances behind a port is how a new
 * version goes live.
 */
export interface ServiceRouter {
  /** Points a route at the given instances, listening on `port`; resolves once connections go there. */
  setRoute(key: string, port: number, upstreams: Upstream[]): Promise<void>;
  /**
   * Points several routes at once, all or none: when one cannot be applied
   * (its port is taken), every route is left as it was and the error thrown.
   */
  setRoutes(changes: RouteChange[]): Promise<void>;
  /** The keys of the routes it holds now. */
  routeKeys(): Promise<string[]>;
  removeRoute(key: string): Promise<void>;
  /** Removes every route whose key starts with a prefix (an app's routes). */
  removeRoutesWithPrefix(prefix: string): Promise<void>;
  /** Lets go of the router; routes kept by a separate edge process stay up. */
  close(): Promise<void>;
}
