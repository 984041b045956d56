import type { EdgeTls } from '../../../shared/domains/servers';
import { SlipwayError } from '../../../shared/errors';

export interface EdgeForm {
  httpPort: string;
  httpsPort: string;
  bind: string;
  tls: EdgeTls;
  acmeEmail: string;
}

export const EDGE_FORM_DEFAULTS: EdgeForm = {
  httpPort: '80',
  httpsPort: '443',
  bind: '0.0.0.0',
  tls: 'acme',
  acmeEmail: '',
};

export interface EdgeRequest {
  httpPort: number;
  httpsPort: number;
  bind: string;
  tls: EdgeTls;
  acmeEmail?: string;
}

export type EdgeFormField = 'httpPort' | 'httpsPort' | 'bind' | 'acmeEmail';

const PORT = /^\d{1,5}$/;

function port(value: string): number | null {
  const n = Number(value.trim());
  return PORT.test(value.trim()) && n >= 1 && n <= 65535 ? n : null;
}

/** What is wrong with each field, before anything is sent; the engine checks again. */
export function edgeFormProblems(form: EdgeForm): Partial<Record<EdgeFormField, string>> {
  const problems: Partial<Record<EdgeFormField, string>> = {};
  const http = port(form.httpPort);
  const https = port(form.httpsPort);
  if (http === null) problems.httpPort = 'Must be a port from 1 to 65535.';
  if (https === null) problems.httpsPort = 'Must be a port from 1 to 65535.';
  else if (http !== null && http === https) problems.httpsPort = 'Must differ from the HTTP port.';
  if (!form.bind.trim()) problems.bind = 'Must be an IP address, such as 0.0.0.0 or 127.0.0.1.';
  if (form.tls === 'acme' && form.acmeEmail.trim() && !/^[^@\s]+@[^@\s]+$/.test(form.acmeEmail.trim()))
    problems.acmeEmail = 'Must be an email address.';
  return problems;
}

/** The request `servers.edgeEnable` is sent (without the server's name). */
export function edgeRequest(form: EdgeForm): EdgeRequest {
  const email = form.acmeEmail.trim();
  return {
    httpPort: Number(form.httpPort.trim()),
    httpsPort: Number(form.httpsPort.trim()),
    bind: form.bind.trim(),
    tls: form.tls,
    ...(form.tls === 'acme' && email ? { acmeEmail: email } : {}),
  };
}

/** The field an engine refusal is about: the port another container holds (EDGE_PORT_IN_USE). */
export function refusedField(err: unknown, form: EdgeForm): EdgeFormField | null {
  if (!(err instanceof SlipwayError) || err.code !== 'EDGE_PORT_IN_USE') return null;
  const refused = (err.details as { port?: unknown } | undefined)?.port;
  if (refused === Number(form.httpPort.trim())) return 'httpPort';
  if (refused === Number(form.httpsPort.trim())) return 'httpsPort';
  return null;
}
