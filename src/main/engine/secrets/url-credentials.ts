/*
 * A clone URL may carry a credential in its user-info (`https://user:TOKEN@host/repo.git`). Nothing Slipway shows,
 * logs or passes on a command line may hold it, and the stored spec holds it sealed: these are the one place that
 * finds it.
 */

import { isSealed, type SecretBox } from './secret-box';

const SCHEME_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/\s@]+)@/i;

export interface UrlCredentials {
  /** The URL without its user-info. */
  url: string;
  /** The user-info as written (still percent-encoded), or null when the URL has none. */
  userinfo: string | null;
  /** The user and password of the user-info, percent-decoded; password is null when there is no `:`. */
  user: string | null;
  password: string | null;
}

/** Takes the user-info out of a `scheme://` URL; any other text comes back as it is, with no credential. */
export function splitUrlCredentials(url: string): UrlCredentials {
  const match = SCHEME_USERINFO.exec(url);
  if (!match) return { url, userinfo: null, user: null, password: null };
  const [whole, scheme, userinfo] = match as unknown as [string, string, string];
  const colon = userinfo.indexOf(':');
  return {
    url: scheme + url.slice(whole.length),
    userinfo,
    user: decode(colon < 0 ? userinfo : userinfo.slice(0, colon)),
    password: colon < 0 ? null : decode(userinfo.slice(colon + 1)),
  };
}

/**
 * The secret part of an http(s) URL's user-info: the password, or the user alone when it is a token
 * (`https://TOKEN@host`). The user of an ssh URL (`ssh://git@host`) is a name, not a secret.
 */
export function urlSecret(url: string): string | null {
  if (!/^https?:\/\//i.test(url)) return null;
  const { user, password } = splitUrlCredentials(url);
  if (password !== null) return password === '' ? null : password;
  return user === null || user === '' ? null : user;
}

/**
 * Seals the user-info of an http(s) URL that carries a credential, as the stored spec keeps it:
 * `https://slipway-sealed%3Av1%3A…@host/repo.git`. Percent-encoded, the sealed text is one user name with no `:`,
 * so the URL is still a valid clone URL and shows its host and path. Any other URL comes back as it is.
 */
export function sealUrlCredentials(url: string, box: SecretBox): string {
  if (urlSecret(url) === null || sealedUserinfo(url) !== null) return url;
  const { url: bare, userinfo } = splitUrlCredentials(url);
  return withUserinfo(bare, encodeURIComponent(box.seal(userinfo!)));
}

/**
 * The URL as the user wrote it, its credential opened: for git alone, never stored or shown. A URL whose
 * credential is not sealed (a state an older version wrote) comes back as it is. Throws SECRET_UNREADABLE when
 * the credential was sealed under another key.
 */
export function openUrlCredentials(url: string, box: SecretBox): string {
  const sealed = sealedUserinfo(url);
  return sealed === null ? url : withUserinfo(splitUrlCredentials(url).url, box.open(sealed));
}

/** The sealed user-info of a URL `sealUrlCredentials` made, or null when its credential (if any) is in plain. */
export function sealedUserinfo(url: string): string | null {
  if (!/^https?:\/\//i.test(url)) return null;
  const { user, password } = splitUrlCredentials(url);
  return password === null && user !== null && isSealed(user) ? user : null;
}

function withUserinfo(bareUrl: string, userinfo: string): string {
  return bareUrl.replace('://', `://${userinfo}@`);
}

/** Hides the user-info part (`user:token@`) of every URL in text: how a URL is shown or logged. */
export function redactCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    // Not valid percent-encoding: git takes such a user-info as it is, and so do we.
    return part;
  }
}
