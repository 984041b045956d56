/*
 * A clone URL may carry a credential in its user-info (`https://user:TOKEN@host/repo.git`). Nothing Slipway shows,
 * logs or passes on a command line may hold it: these are the one place that finds it.
 */

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
