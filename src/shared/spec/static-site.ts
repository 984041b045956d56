/*
 * A static site's own settings: where its built files are and which documents answer what. Slipway serves them with
 * its generated web server (Caddy) on DEFAULT_HTTP_PORT, so a static site takes part in routes like a service.
 */
import type { HealthCheck, StaticSiteSettings } from './app-spec';
import { DEFAULT_HEALTH_CHECK } from './component-settings';
import type { Path, ProblemList } from './spec-problems';
import type { StaticSiteInput } from './spec-schema';

/** A static site's server answers at `/`: its index document. */
export const STATIC_SITE_HEALTH_CHECK: HealthCheck = { ...DEFAULT_HEALTH_CHECK, httpPath: '/' };

/** The output folder and documents of a static site, DigitalOcean's defaults filled in; null when one is unusable. */
export function staticSiteSettings(
  data: StaticSiteInput,
  path: Path,
  problems: ProblemList,
): StaticSiteSettings | null {
  let ok = true;
  for (const field of ['index_document', 'error_document', 'catchall_document'] as const) {
    if (data[field] === '') {
      problems.error([...path, field], 'must name a file inside output_dir, such as index.html, not the folder itself');
      ok = false;
    }
  }
  if (!ok) return null;
  let errorDocument = data.error_document ?? null;
  const catchallDocument = data.catchall_document ?? null;
  if (errorDocument !== null && catchallDocument !== null) {
    // As on DigitalOcean: every missing path is answered by the catch-all, so an error page would never be seen.
    problems.warn(
      [...path, 'error_document'],
      'catchall_document answers every path that has no file, so the error document is never served; keep one of them. Ignored.',
    );
    errorDocument = null;
  }
  return {
    outputDir: data.output_dir ?? null,
    indexDocument: data.index_document ?? 'index.html',
    errorDocument,
    catchallDocument,
  };
}
