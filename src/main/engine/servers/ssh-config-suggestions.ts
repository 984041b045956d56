import type { SshConfigSuggestion } from '../../../shared/domains/servers';
import { readSshConfigHosts, resolveSshAlias } from './ssh-config';

/** The hosts of `~/.ssh/config` (or `file`), each alias resolved, as suggestions for new servers. */
export async function sshConfigSuggestions(file?: string): Promise<SshConfigSuggestion[]> {
  const hosts = await readSshConfigHosts(file);
  const suggestions: SshConfigSuggestion[] = [];
  for (const alias of new Set(hosts.flatMap((h) => h.aliases))) {
    const resolved = resolveSshAlias(hosts, alias);
    if (!resolved) continue;
    suggestions.push({
      alias,
      hostName: resolved.hostName,
      user: resolved.user ?? null,
      port: resolved.port,
      identityFile: resolved.identityFiles[0] ?? null,
      proxyJump: resolved.proxyJump,
    });
  }
  return suggestions;
}
