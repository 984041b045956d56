/*
 * Fields of DigitalOcean's app spec that Slipway reads but cannot honour, each with what to do instead; and the
 * check that reports them, and any field nobody knows, so that nothing in a spec is ever dropped silently.
 */
import { formatPath, quote, type PathSegment, type ProblemList } from './spec-problems';

const EDGE = 'a DigitalOcean edge (CDN) setting; Slipway puts no edge in front of your app. Ignored.';

/** The advice for DigitalOcean Functions, naming them. */
export function functionsAdvice(names: readonly string[]): string {
  const which = names.length > 0 ? ` (${names.join(', ')})` : '';
  return `Slipway does not run DigitalOcean Functions${which}; run the code as a service with a Dockerfile. Ignored.`;
}

/** Top-level fields Slipway does not honour. */
export const APP_ADVICE: Readonly<Record<string, string>> = {
  functions: functionsAdvice([]),
  alerts: 'Slipway does not send alerts; failed deployments show in the app. Ignored.',
  region: 'Slipway deploys to the Docker engine you choose, not to a region. Ignored.',
  egress: "Slipway does not manage egress IPs; containers use the server's own network. Ignored.",
  features: 'DigitalOcean feature flags mean nothing to Slipway. Ignored.',
  maintenance: 'Slipway has no maintenance mode; stop the app from Slipway instead. Ignored.',
  vpc: 'Slipway does not attach apps to a DigitalOcean VPC; components share a private Docker network. Ignored.',
  disable_edge_cache: EDGE,
  disable_email_obfuscation: EDGE,
  enhanced_threat_control_enabled: EDGE,
};

/** Component fields Slipway does not honour, whatever the kind. */
const COMPONENT_ADVICE: Readonly<Record<string, string>> = {
  instance_size_slug: 'Slipway does not size containers; a component gets what its Docker engine allows. Ignored.',
  autoscaling: 'Slipway does not autoscale; set instance_count instead. Ignored.',
  alerts: 'Slipway does not send alerts for components. Ignored.',
  log_destinations:
    'Slipway keeps logs itself and does not forward them; ship them from inside the app if you need them elsewhere. Ignored.',
  termination: "Slipway stops containers with the Docker engine's grace period. Ignored.",
  liveness_health_check: 'Slipway checks health with health_check only. Ignored.',
  cors: 'Slipway does not add CORS headers; set them in your app. Ignored.',
  protocol: 'Slipway speaks HTTP/1.1 to services; protocol is ignored.',
  kind: 'only jobs have a kind. Ignored.',
};

const notHttp = (kind: string, field: string) =>
  `${kind} do not receive HTTP traffic; remove ${field} or make this component a service. Ignored.`;

/** Service-only fields found on workers or jobs. */
function httpOnlyAdvice(kind: string): Record<string, string> {
  return {
    http_port: notHttp(kind, 'http_port'),
    internal_ports: notHttp(kind, 'internal_ports'),
    health_check: `Slipway health-checks services only; ${kind} are watched for exits. Ignored.`,
    routes: notHttp(kind, 'routes'),
    cors: notHttp(kind, 'cors'),
    protocol: notHttp(kind, 'protocol'),
    liveness_health_check: `Slipway health-checks services only; ${kind} are watched for exits. Ignored.`,
  };
}

export const SERVICE_ADVICE: Readonly<Record<string, string>> = COMPONENT_ADVICE;
export const WORKER_ADVICE: Readonly<Record<string, string>> = { ...COMPONENT_ADVICE, ...httpOnlyAdvice('workers') };
export const JOB_ADVICE: Readonly<Record<string, string>> = { ...COMPONENT_ADVICE, ...httpOnlyAdvice('jobs') };

const notForStaticSites = (what: string) =>
  `Slipway serves a static site's files with its own web server (one instance, on port 8080): ${what}. Ignored.`;

/** Fields a static site does not have on DigitalOcean either, or that Slipway decides for it. */
export const STATIC_SITE_ADVICE: Readonly<Record<string, string>> = {
  ...COMPONENT_ADVICE,
  run_command: notForStaticSites('it runs no command of yours'),
  http_port: notForStaticSites("the port is its server's"),
  internal_ports: notForStaticSites('it listens on no other port'),
  instance_count: notForStaticSites('it runs one instance'),
  health_check: notForStaticSites('it is checked at /'),
  image: notForStaticSites('it is built from source; make it a service to run an image'),
  domains:
    'Slipway does not manage domains or certificates; point your domain at the server and put a reverse proxy in front of the site. Ignored.',
};

export const IMAGE_ADVICE: Readonly<Record<string, string>> = {
  registry_credentials:
    'Slipway does not read registry credentials from the spec; log in to the registry on the Docker engine (docker login). Ignored.',
};

/** Whether a value carries nothing: an ignored field holding it loses nothing, so it needs no warning. */
export function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/**
 * Warns about every field of `raw` that is neither read (`known`) nor handled elsewhere (`handled`): with advice when
 * it is a DigitalOcean field Slipway cannot honour, as unknown otherwise (a typo, usually), suggesting a near name.
 */
export function reportFields(
  raw: Readonly<Record<string, unknown>>,
  path: readonly PathSegment[],
  known: ReadonlySet<string>,
  advice: Readonly<Record<string, string>>,
  problems: ProblemList,
  handled: ReadonlySet<string> = new Set(),
): void {
  for (const key of Object.keys(raw)) {
    if (known.has(key) || handled.has(key)) continue;
    const hint = Object.hasOwn(advice, key) ? advice[key] : undefined;
    if (hint) {
      if (!isEmpty(raw[key])) problems.warn([...path, key], hint);
      continue;
    }
    const near = nearest(key, [...known, ...handled, ...Object.keys(advice)]);
    const where = path.length === 0 ? 'at the top level' : `in ${formatPath(path)}`;
    const suggestion = near ? ` Did you mean \`${near}\`?` : '';
    problems.warn(
      [...path, key],
      `unknown field: Slipway knows no field ${quote(key)} ${where}, so it is ignored.${suggestion}`,
    );
  }
}

/** The candidate closest to `word` by edit distance, when close enough to be a likely typo. */
function nearest(word: string, candidates: readonly string[]): string | null {
  if (word.length > 64) return null;
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(word.length / 4)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: a swap of two neighbours (`prot`/`port`) counts as one edit. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [];
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) {
        row.push(i + j);
        continue;
      }
      const previous = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(value);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}
