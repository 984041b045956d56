/** `7.0.15` from `Redis server v=7.0.15 sha=… malloc=…`, or null. */
export function parseRedisVersion(output: string): { full: string; major: string; minor: string } | null;
