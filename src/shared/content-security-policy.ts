/**
 * The renderer's Content-Security-Policy. The Electron shell sends it as a
 * header and the renderer's index.html carries it as a meta tag; a test keeps
 * the two equal. Styles may be inline because xterm.js sizes its rows inline.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
