/** `15.18` from `postgres (PostgreSQL) 15.18 (Debian …)`, or null. */
export function parsePostgresVersion(output: string): { major: string; full: string } | null;
