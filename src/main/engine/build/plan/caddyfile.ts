import { SlipwayError } from '../../../../shared/errors';

export interface CaddyfileOptions {
  port: number;
  indexDocument: string;
  /** Served with 404 for a path that has no file. */
  errorDocument: string | null;
  /** Served with 200 for a path that has no file: single-page apps route in the browser. */
  catchallDocument: string | null;
}

/** Where the site's files are in the server image. */
export const SITE_ROOT = '/srv';

/**
 * The Caddyfile of a static site: files from /srv, the index document for folders,
 * and for a missing path the catch-all document (200) or the error document (404).
 */
export function caddyfile(options: CaddyfileOptions): string {
  const index = documentPath(options.indexDocument, 'index_document');
  const lines = [
    '{',
    '\tadmin off',
    '\tauto_https off',
    '}',
    '',
    `:${options.port} {`,
    `\troot * ${SITE_ROOT}`,
    '\tencode gzip',
  ];
  if (options.catchallDocument !== null) {
    const catchall = documentPath(options.catchallDocument, 'catchall_document');
    lines.push(`\ttry_files {path} {path}/${index} /${catchall}`);
  }
  lines.push('\tfile_server {', `\t\tindex ${index}`, '\t}');
  if (options.errorDocument !== null) {
    const error = documentPath(options.errorDocument, 'error_document');
    // In handle_errors, file_server answers with the error's status: the page comes with its 404.
    lines.push(
      '\thandle_errors {',
      '\t\t@notfound expression {err.status_code} == 404',
      '\t\thandle @notfound {',
      `\t\t\trewrite * /${error}`,
      '\t\t\tfile_server',
      '\t\t}',
      '\t}',
    );
  }
  lines.push('}', '');
  return lines.join('\n');
}

/** A document path inside the site: plain relative path characters only, as it is written into the Caddyfile. */
function documentPath(path: string, field: string): string {
  const clean = path.replace(/^\/+/, '');
  if (!/^[A-Za-z0-9._/-]+$/.test(clean) || clean.split('/').some((p) => p === '..' || p === '')) {
    throw new SlipwayError(
      'SPEC_INVALID',
      `${field}: ${JSON.stringify(path)} must be a path inside the site (letters, digits, . _ - /)`,
      {
        field,
      },
    );
  }
  return clean;
}
