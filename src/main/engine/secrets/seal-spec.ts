import type { AppSpec } from '../../../shared/spec/app-spec';
import { isMap, isScalar, parseDocument, visit } from 'yaml';
import { isSealed, type SecretBox } from './secret-box';

const MASK = '********';

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

/** Seals every plain SECRET value in a spec, so the stored spec never holds one in clear. */
export function sealSpecSecrets(yamlText: string, box: SecretBox): string {
  return mapSecretValues(yamlText, (value) => (isSealed(value) || value === MASK ? value : box.seal(value)));
}

/** Replaces every SECRET value with a mask: what a screen may show. */
export function maskSpecSecrets(yamlText: string): string {
  return mapSecretValues(yamlText, () => MASK);
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
  const next = parseDocument(edited);
  visit(next, {
    Map(_, node) {
      if (!isMap(node) || node.get('type') !== 'SECRET' || node.get('value') !== MASK) return;
      const kept = sealedByKey.get(String(node.get('key')));
      if (kept) node.set('value', kept);
    },
  });
  return next.toString({ lineWidth: 0 });
}

/** The plain values of every secret in a spec, by key, so logs can hide them. */
export function secretValues(spec: AppSpec, secrets: SecretBox): Record<string, string> {
  const out: Record<string, string> = {};
  for (const component of spec.components) {
    for (const env of component.envs) {
      if (env.type === 'SECRET') out[env.key] = isSealed(env.value) ? secrets.open(env.value) : env.value;
    }
  }
  return out;
}
