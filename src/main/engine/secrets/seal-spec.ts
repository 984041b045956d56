import type { AppSpec } from '../../../shared/spec/app-spec';
import { isMap, isScalar, parseDocument, visit } from 'yaml';
import { isSealed, type SecretBox } from './secret-box';
import { openUrlCredentials, sealUrlCredentials, splitUrlCredentials, urlSecret } from './url-credentials';

const MASK = '********';
/** What a screen sees instead of a clone URL's user-info: a URL still valid, so the spec can be sent back as it is. */
const URL_MASK = 'slipway-hidden';

/** Calls `change` on every `repo_clone_url` of a spec document that carries a credential (not an ssh login name). */
function mapCloneUrls(doc: ReturnType<typeof parseDocument>, change: (url: string) => string): void {
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.value !== 'repo_clone_url' || !isScalar(pair.value)) return;
      const url = pair.value.value;
      if (typeof url === 'string' && urlSecret(url) !== null) pair.value.value = change(url);
    },
  });
}

/** Calls `change` on the value node of every `type: SECRET` env entry of a spec document. */
function mapSecretValues(yamlText: string, change: (value: string) => string): string {
  const doc = parseDocument(yamlText);
  visit(doc, {
    Map(_, node) {
      if (!isMap(node) || node.get('type') !== 'SECRET') return;
      const value = node.get('value', true);
      if (isScalar(value) && value.value !== null && value.value !== undefined) {
        value.value = change(String(value.value));
      }
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/** Seals every plain SECRET value and clone URL credential in a spec, so the stored spec never holds one in clear. */
export function sealSpecSecrets(yamlText: string, box: SecretBox): string {
  const doc = parseDocument(
    mapSecretValues(yamlText, (value) => (isSealed(value) || value === MASK ? value : box.seal(value))),
  );
  // A mask nothing was restored for (another repository) is no credential: it stays as it is.
  mapCloneUrls(doc, (url) => (splitUrlCredentials(url).userinfo === URL_MASK ? url : sealUrlCredentials(url, box)));
  return doc.toString({ lineWidth: 0 });
}

/** Replaces every SECRET value, and the user-info of every clone URL, with a mask: what a screen may show. */
export function maskSpecSecrets(yamlText: string): string {
  const doc = parseDocument(mapSecretValues(yamlText, () => MASK));
  mapCloneUrls(doc, (url) => splitUrlCredentials(url).url.replace('://', `://${URL_MASK}@`));
  return doc.toString({ lineWidth: 0 });
}

/**
 * Carries the sealed values of the previous spec over where an edited spec still
 * holds the mask: the UI never receives secrets, so it sends the mask back.
 */
export function keepMaskedSecrets(edited: string, previous: string): string {
  const sealedByKey = new Map<string, string>();
  const doc = parseDocument(previous);
  visit(doc, {
    Map(_, node) {
      if (isMap(node) && node.get('type') === 'SECRET' && typeof node.get('key') === 'string') {
        sealedByKey.set(String(node.get('key')), String(node.get('value')));
      }
    },
  });
  // A masked clone URL gets back the credential the same repository had.
  const urlByRepository = new Map<string, string>();
  mapCloneUrls(doc, (url) => {
    urlByRepository.set(splitUrlCredentials(url).url, url);
    return url;
  });
  const next = parseDocument(edited);
  visit(next, {
    Map(_, node) {
      if (!isMap(node) || node.get('type') !== 'SECRET' || node.get('value') !== MASK) return;
      const kept = sealedByKey.get(String(node.get('key')));
      if (kept) node.set('value', kept);
    },
  });
  mapCloneUrls(next, (url) => {
    const { url: bare, userinfo } = splitUrlCredentials(url);
    return userinfo === URL_MASK ? (urlByRepository.get(bare) ?? url) : url;
  });
  return next.toString({ lineWidth: 0 });
}

/** The plain values of every secret in a spec (SECRET envs, clone URLs' credentials), by key, so logs can hide them. */
export function secretValues(spec: AppSpec, secrets: SecretBox): Record<string, string> {
  const out: Record<string, string> = {};
  for (const component of spec.components) {
    for (const env of component.envs) {
      if (env.type === 'SECRET') out[env.key] = isSealed(env.value) ? secrets.open(env.value) : env.value;
    }
    const credential =
      component.source.type === 'git' ? urlSecret(openUrlCredentials(component.source.url, secrets)) : null;
    if (credential) out[`${component.name}.repo_clone_url`] = credential;
  }
  return out;
}
