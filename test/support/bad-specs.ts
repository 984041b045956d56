/** A one-service spec with extra lines under the service (indented for it). */
function service(lines: string): string {
  const body = lines
    .trim()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return `name: shop\nservices:\n  - name: web\n${body}\n`;
}

/** A bad app spec and the field its error must name: shared by the loader's and the engine's tests. */
export interface BadSpec {
  what: string;
  yaml: string;
  path: string;
  message?: RegExp;
}

export const BAD_SPECS: BadSpec[] = [
  // The document itself.
  {
    what: 'a YAML syntax error',
    yaml: 'name: shop\nservices:\n  - name: [web\n',
    path: '(spec)',
    message: /line \d+, column \d+/,
  },
  { what: 'a duplicate YAML key', yaml: 'name: shop\nname: other\n', path: '(spec)', message: /line 2/ },
  { what: 'a list at the top', yaml: '- name: shop\n', path: '(spec)', message: /mapping/ },
  { what: 'a number at the top', yaml: '42\n', path: '(spec)', message: /mapping/ },
  { what: 'an empty document', yaml: '# nothing\n', path: '(spec)', message: /empty/ },
  { what: 'a spec: wrapper that is not a mapping', yaml: 'spec: [1, 2]\n', path: 'spec', message: /mapping/ },
  {
    what: 'an alias bomb',
    yaml: [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ].join('\n'),
    path: '(spec)',
    message: /alias/,
  },

  // The app's name.
  { what: 'no name', yaml: 'services:\n  - name: web\n', path: 'name', message: /required/ },
  {
    what: 'a name of the wrong type',
    yaml: 'name: [shop]\nservices:\n  - name: web\n',
    path: 'name',
    message: /must be/,
  },
  { what: 'a name with a shell command', yaml: 'name: "a;rm -rf /"\nservices:\n  - name: web\n', path: 'name' },
  { what: 'a name with $(...)', yaml: 'name: "$(x)"\nservices:\n  - name: web\n', path: 'name' },
  { what: 'a one-letter name', yaml: 'name: a\nservices:\n  - name: web\n', path: 'name' },
  { what: 'a name that is a number', yaml: 'name: "123"\nservices:\n  - name: web\n', path: 'name' },
  { what: 'a name that reads as a hex address', yaml: 'name: 0x1f\nservices:\n  - name: web\n', path: 'name' },
  { what: 'a name with a slash', yaml: 'name: Shop/Web\nservices:\n  - name: web\n', path: 'name' },

  // Component lists and names.
  {
    what: 'services as a mapping',
    yaml: 'name: shop\nservices:\n  web:\n    http_port: 80\n',
    path: 'services',
    message: /list/,
  },
  { what: 'a component that is a string', yaml: 'name: shop\nservices:\n  - web\n', path: 'services[0]' },
  { what: 'a component without a name', yaml: 'name: shop\nservices:\n  - http_port: 80\n', path: 'services[0].name' },
  {
    what: 'a component name with backticks',
    yaml: 'name: shop\nservices:\n  - name: "`id`"\n',
    path: 'services[0].name',
  },
  { what: 'a component name with ../', yaml: 'name: shop\nservices:\n  - name: ../etc\n', path: 'services[0].name' },

  {
    what: 'a duplicate component name across kinds',
    yaml: 'name: shop\nservices:\n  - name: web\nworkers:\n  - name: web\n',
    path: 'workers[0].name',
    message: /duplicate/,
  },
  {
    what: 'only functions, which Slipway does not run',
    yaml: 'name: shop\nfunctions:\n  - name: fn\n',
    path: 'services',
    message: /nothing for Slipway to deploy/,
  },

  // Ports, counts and timings.
  { what: 'http_port 0', yaml: service('http_port: 0'), path: 'services[0].http_port', message: /1 to 65535/ },
  { what: 'http_port 70000', yaml: service('http_port: 70000'), path: 'services[0].http_port', message: /1 to 65535/ },
  { what: 'http_port "abc"', yaml: service('http_port: abc'), path: 'services[0].http_port', message: /1 to 65535/ },
  { what: 'http_port 80.5', yaml: service('http_port: 80.5'), path: 'services[0].http_port' },
  { what: 'internal port 0', yaml: service('internal_ports: [0]'), path: 'services[0].internal_ports[0]' },
  { what: 'instance_count 100', yaml: service('instance_count: 100'), path: 'services[0].instance_count' },
  { what: 'a health check that is text', yaml: service('health_check: yes please'), path: 'services[0].health_check' },
  {
    what: 'a health check every 0 seconds',
    yaml: service('health_check:\n  period_seconds: 0'),
    path: 'services[0].health_check.period_seconds',
  },
  {
    what: 'a health check path without a slash',
    yaml: service('health_check:\n  http_path: health'),
    path: 'services[0].health_check.http_path',
  },
  { what: 'a route without a slash', yaml: service('routes:\n  - path: api'), path: 'services[0].routes[0].path' },
  {
    what: 'one route for two services',
    yaml: 'name: shop\nservices:\n  - name: web\n    routes: [{path: /}]\n  - name: api\n    routes: [{path: /}]\n',
    path: 'services[1].routes[0].path',
  },
  {
    what: 'an unknown job kind',
    yaml: 'name: shop\njobs:\n  - name: migrate\n    kind: SOMETIMES\n',
    path: 'jobs[0].kind',
    message: /PRE_DEPLOY/,
  },

  // Envs.
  {
    what: 'envs as a mapping',
    yaml: 'name: shop\nenvs:\n  A: b\nservices:\n  - name: web\n',
    path: 'envs',
    message: /list/,
  },
  {
    what: 'an env key starting with a digit',
    yaml: service('envs:\n  - key: 1BAD\n    value: x'),
    path: 'services[0].envs[0].key',
  },
  {
    what: 'an env key with a dash',
    yaml: service('envs:\n  - key: A-B\n    value: x'),
    path: 'services[0].envs[0].key',
  },
  {
    what: 'an env key with $(...)',
    yaml: service('envs:\n  - key: $(x)\n    value: x'),
    path: 'services[0].envs[0].key',
  },
  {
    what: 'an env without a key',
    yaml: service('envs:\n  - value: x'),
    path: 'services[0].envs[0].key',
    message: /required/,
  },
  {
    what: 'a duplicate env key',
    yaml: service('envs:\n  - key: A\n    value: x\n  - key: A\n    value: y'),
    path: 'services[0].envs[1].key',
    message: /duplicate/,
  },
  {
    what: 'an env value that is a mapping',
    yaml: service('envs:\n  - key: A\n    value: {x: 1}'),
    path: 'services[0].envs[0].value',
  },
  {
    what: 'an unknown env scope',
    yaml: service('envs:\n  - key: A\n    scope: ALWAYS'),
    path: 'services[0].envs[0].scope',
  },
  {
    what: 'an unknown env type',
    yaml: service('envs:\n  - key: A\n    type: PLAIN'),
    path: 'services[0].envs[0].type',
  },

  // Sources.
  {
    what: 'both a git source and an image',
    yaml: service(
      'git:\n  repo_clone_url: https://github.com/a/b.git\nimage:\n  registry_type: DOCKER_HUB\n  repository: nginx',
    ),
    path: 'services[0]',
    message: /not both/,
  },
  {
    what: 'two git sources',
    yaml: service('git:\n  repo_clone_url: https://github.com/a/b.git\ngithub:\n  repo: a/b'),
    path: 'services[0]',
    message: /exactly one/,
  },
  { what: 'git as a list', yaml: service('git: [https://github.com/a/b.git]'), path: 'services[0].git' },
  {
    what: 'a branch that is an option',
    yaml: service('git:\n  repo_clone_url: https://github.com/a/b.git\n  branch: --upload-pack=x'),
    path: 'services[0].git.branch',
  },
  {
    what: 'a branch with ..',
    yaml: service('github:\n  repo: a/b\n  branch: main..x'),
    path: 'services[0].github.branch',
  },
  {
    what: 'a clone URL that is an option',
    yaml: service('git:\n  repo_clone_url: -oProxyCommand=x'),
    path: 'services[0].git.repo_clone_url',
  },
  {
    what: 'a clone URL through a remote helper',
    yaml: service('git:\n  repo_clone_url: "ext::sh -c touch% /tmp/pwned"'),
    path: 'services[0].git.repo_clone_url',
  },
  {
    what: 'a clone URL with a command in it',
    yaml: service('git:\n  repo_clone_url: "https://github.com/a/$(id).git"'),
    path: 'services[0].git.repo_clone_url',
  },
  { what: 'a GitHub repo with a ;', yaml: service('github:\n  repo: "a/b;rm -rf /"'), path: 'services[0].github.repo' },
  { what: 'a GitHub repo with ../', yaml: service('github:\n  repo: ../etc'), path: 'services[0].github.repo' },
  { what: 'a GitHub source without a repo', yaml: service('github:\n  branch: main'), path: 'services[0].github.repo' },
  {
    what: 'an image without a repository',
    yaml: service('image:\n  registry_type: DOCKER_HUB'),
    path: 'services[0].image.repository',
  },
  {
    what: 'an unknown registry type',
    yaml: service('image:\n  registry_type: QUAY\n  repository: nginx'),
    path: 'services[0].image.registry_type',
  },
  {
    what: 'an image tag with a space',
    yaml: service('image:\n  registry_type: DOCKER_HUB\n  repository: nginx\n  tag: "1 2"'),
    path: 'services[0].image.tag',
  },
  {
    what: 'an image repository with a command',
    yaml: service('image:\n  registry_type: DOCKER_HUB\n  repository: "nginx`id`"'),
    path: 'services[0].image.repository',
  },

  // Paths.
  {
    what: 'source_dir ../../etc',
    yaml: service('source_dir: ../../etc'),
    path: 'services[0].source_dir',
    message: /outside/,
  },
  {
    what: 'dockerfile_path ../x',
    yaml: service('dockerfile_path: ../x'),
    path: 'services[0].dockerfile_path',
    message: /outside/,
  },
  { what: 'source_dir a/../../b', yaml: service('source_dir: a/../../b'), path: 'services[0].source_dir' },
  {
    what: 'a Windows source_dir',
    yaml: service('source_dir: C:\\Users\\me'),
    path: 'services[0].source_dir',
    message: /Windows/,
  },
  { what: 'a NUL in source_dir', yaml: service('source_dir: "a\\0b"'), path: 'services[0].source_dir' },
  {
    what: 'dockerfile_path that is the root',
    yaml: service('dockerfile_path: /'),
    path: 'services[0].dockerfile_path',
  },
  { what: 'a source_dir that is a list', yaml: service('source_dir: [a]'), path: 'services[0].source_dir' },
];
