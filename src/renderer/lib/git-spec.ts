/** What the New app dialog's git mode asks for. */
export interface GitAppInput {
  url: string;
  branch: string;
  dockerfilePath: string;
  httpPort: number;
}

/** An app name from a repository URL: `git@github.com:acme/Shop_API.git` gives `shop-api`. */
export function appNameFromRepo(url: string): string {
  const last = url.trim().replace(/\/+$/, '').split(/[/:]/).pop() ?? '';
  const name = last
    .replace(/\.git$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  return name.length >= 2 ? name : 'my-app';
}

/**
 * A one-service spec that builds the repository's Dockerfile, as DigitalOcean's
 * "create from repository" starts: the user sees and edits it before it is created.
 * Values are written as JSON strings, which YAML reads as quoted scalars, so a
 * URL can never break out of its field.
 */
export function gitAppSpec(input: GitAppInput): string {
  return [
    `name: ${appNameFromRepo(input.url)}`,
    'services:',
    '  - name: web',
    '    git:',
    `      repo_clone_url: ${JSON.stringify(input.url.trim())}`,
    `      branch: ${JSON.stringify(input.branch.trim() || 'main')}`,
    `    dockerfile_path: ${JSON.stringify(input.dockerfilePath.trim() || 'Dockerfile')}`,
    `    http_port: ${input.httpPort}`,
    '',
  ].join('\n');
}
