import { SlipwayError } from '../../../shared/errors';
import { sealedUserinfo, splitUrlCredentials } from '../secrets/url-credentials';

/** A clone URL split for git: what its command line may hold, and what only its environment may. */
export interface GitRemote {
  /** The URL git is given as an argument and records as `remote.origin.url`: never a credential in it. */
  url: string;
  /** Variables for git's environment (readable by its user alone, unlike argv): the credential, if any. */
  env: Record<string, string>;
}

/**
 * Moves the user-info of an http(s) URL into an `Authorization` header that git
 * reads from its environment (GIT_CONFIG_COUNT, git 2.31+), scoped to that URL
 * so it is sent to no other. Other URLs are given to git as they are: an ssh
 * URL's user is a login name, and its keys never appear in the URL.
 */
export function gitRemote(url: string): GitRemote {
  if (!/^https?:\/\//i.test(url)) return { url, env: {} };
  // A stored spec's credential is opened before git runs (deploy/checkout-sources.ts): the sealed text is no password.
  if (sealedUserinfo(url) !== null) {
    throw new SlipwayError('INTERNAL', 'The clone URL’s credential was not opened before git ran.');
  }
  const { url: bare, user, password } = splitUrlCredentials(url);
  if (user === null) return { url, env: {} };
  const basic = Buffer.from(`${user}:${password ?? ''}`).toString('base64');
  return {
    url: bare,
    env: {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: `http.${bare}.extraHeader`,
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    },
  };
}
