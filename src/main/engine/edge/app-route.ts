/**
 * The name under which an app's own URL (routed by path to its components) keeps its stable port in
 * `hostPorts` and names its route: no component can be called so.
 */
export const APP_ROUTE = '@app';
