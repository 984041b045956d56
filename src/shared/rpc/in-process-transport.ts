import type { Router } from './router';
import type { Transport } from './transport';

/**
 * Carries calls straight to a router in the same process (CLI, unit tests).
 * Values go through a JSON round trip so callers see what any other transport
 * would give them, and never share objects with the engine.
 */
export function inProcessTransport(router: Router): Transport {
  const copy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));
  return {
    async call(name, request) {
      return copy(await router.call(name, copy(request)));
    },
    subscribe(name, params, onEvent) {
      return router.subscribe(name, copy(params), (event) => onEvent(copy(event)));
    },
  };
}
