/*
 * What a server's edge knows of each domain's certificate: read from Caddy's own storage (its data
 * volume, through Docker's archive API, so the image needs no shell) and from its log, where Caddy
 * says why it could not obtain one. Caddy 2.6's admin API has no endpoint for either.
 */
import { X509Certificate } from 'node:crypto';
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import type { EdgeCertificate } from '../../../shared/domains/servers';
import { readLogFrames } from '../docker/log-frames';
import type { DockerHost } from '../hosts/docker-host';
import type { EdgeTlsMode } from './caddy-config';

/** Where Caddy keeps certificates: `<issuer>/<domain>/<domain>.crt` under it (XDG_DATA_HOME=/data). */
const CERTIFICATES_DIR = '/data/caddy/certificates';
const LOG_LINES = 2000;

export interface StoredCertificate {
  notAfter: string;
  issuer: string;
}

/** The certificates in a tar of Caddy's storage (`<domain>.crt` files), by the domain they are for. */
export async function certificatesInTar(tar: Readable): Promise<Map<string, StoredCertificate>> {
  const out = new Map<string, StoredCertificate>();
  const ex = extract();
  ex.on('entry', (header, stream, next) => {
    // Docker names the entry by the file's base name only; anything else in the tar is not read.
    const match = /([^/]+)\.crt$/.exec(header.name);
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => void (match && chunks.push(c as Buffer)));
    stream.on('end', () => {
      if (match && header.type === 'file') {
        try {
          const cert = new X509Certificate(Buffer.concat(chunks));
          out.set(match[1]!, { notAfter: new Date(cert.validTo).toISOString(), issuer: commonName(cert.issuer) });
        } catch {
          // A file Caddy is writing right now, or not a certificate: the next look sees it whole.
        }
      }
      next();
    });
    stream.resume();
  });
  await new Promise<void>((resolve, reject) => {
    ex.on('finish', resolve);
    ex.on('error', reject);
    tar.on('error', reject);
    tar.pipe(ex);
  });
  return out;
}

function commonName(dn: string): string {
  return /(?:^|\n)CN=([^\n]+)/.exec(dn)?.[1] ?? dn.split('\n')[0] ?? dn;
}

/**
 * The last certificate error Caddy logged for each domain, from its JSON log lines; a certificate
 * obtained later clears it.
 */
export function lastCertificateErrors(lines: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines) {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>;
    } catch {
      continue;
    }
    const domain = typeof entry.identifier === 'string' ? entry.identifier : null;
    if (!domain || !String(entry.logger ?? '').startsWith('tls')) continue;
    if (entry.level === 'error')
      out.set(domain, `${String(entry.msg ?? 'error')}: ${String(entry.error ?? '')}`.trim());
    else if (/certificate obtained successfully/.test(String(entry.msg))) out.delete(domain);
  }
  return out;
}

/** A domain's certificate as the server page shows it. */
export function certificateOf(
  domain: string,
  tls: EdgeTlsMode,
  stored: ReadonlyMap<string, StoredCertificate>,
  errors: ReadonlyMap<string, string>,
  now = new Date(),
): EdgeCertificate {
  if (tls === 'off') return { state: 'off' };
  const cert = stored.get(domain);
  const lastError = errors.get(domain);
  const base = { ...(cert ?? {}), ...(lastError ? { lastError } : {}) };
  if (cert) return { state: new Date(cert.notAfter) > now ? 'valid' : 'expired', ...base };
  return { state: lastError ? 'failed' : 'pending', ...base };
}

/** Where each issuer's certificates are kept under CERTIFICATES_DIR: Caddy's own CA, or its ACME issuers. */
const ISSUER_DIRS: Record<Exclude<EdgeTlsMode, 'off'>, string[]> = {
  internal: ['local'],
  acme: ['acme-v02.api.letsencrypt.org-directory', 'acme.zerossl.com-v2-dv90'],
};

/**
 * The certificates of `domains` in the edge container's storage, and the last error its log holds
 * for each domain. Only each `<domain>.crt` is fetched: the private keys beside them never leave the server.
 */
export async function readEdgeCertificates(
  host: DockerHost,
  container: string,
  domains: readonly string[],
  tls: EdgeTlsMode,
): Promise<{ stored: Map<string, StoredCertificate>; errors: Map<string, string> }> {
  const edge = host.docker.getContainer(container);
  const stored = new Map<string, StoredCertificate>();
  const issuers = tls === 'off' ? [] : ISSUER_DIRS[tls];
  for (const domain of issuers.length > 0 ? domains : []) {
    for (const issuer of issuers) {
      const path = `${CERTIFICATES_DIR}/${issuer}/${domain}/${domain}.crt`;
      const tar = (await edge.getArchive({ path }).catch(() => null)) as Readable | null;
      const found = tar ? (await certificatesInTar(tar)).get(domain) : undefined;
      if (found) {
        stored.set(domain, found);
        break;
      }
    }
  }
  const raw = (await edge
    .logs({ stdout: true, stderr: true, tail: LOG_LINES })
    .catch(() => Buffer.alloc(0))) as unknown as Buffer;
  const errors = lastCertificateErrors(readLogFrames(raw, { timestamps: false }).map((l) => l.text));
  return { stored, errors };
}
