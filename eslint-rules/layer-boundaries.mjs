// Keeps the arrows between Slipway's layers pointing one way (see docs/ARCHITECTURE.md).
import { builtinModules } from 'node:module';
import path from 'node:path';

const NODE_BUILTINS = new Set(builtinModules);
// Packages that only run in Node: the renderer must reach them through the contract.
const NODE_ONLY_PACKAGES = new Set(['dockerode', 'ssh2', 'ws', 'lowdb', 'tar-fs', 'electron-vite', 'electron-builder']);

/** Which layer a file under src/ belongs to, or null when it is outside the layers. */
export function layerOf(file) {
  const rel = path.relative(path.join(process.cwd(), 'src'), file).split(path.sep).join('/');
  if (rel.startsWith('..')) return null;
  if (rel.startsWith('main/engine/')) return 'engine';
  const top = rel.split('/')[0];
  return ['shared', 'main', 'preload', 'renderer', 'cli'].includes(top) ? top : null;
}

const ALLOWED_LAYERS = {
  shared: ['shared'],
  engine: ['shared', 'engine'],
  main: ['shared', 'engine', 'main'],
  preload: ['shared', 'preload'],
  renderer: ['shared', 'renderer'],
  cli: ['shared', 'engine', 'cli'],
};

/**
 * The order inside the engine (docs/ARCHITECTURE.md): a folder may import
 * only from folders of a lower rank, and from itself. Folders of one rank do
 * not import each other.
 */
export const ENGINE_RANKS = {
  base: 0,
  store: 1,
  secrets: 2,
  logs: 2,
  hosts: 3,
  docker: 4,
  system: 5,
  build: 5,
  source: 5,
  health: 5,
  edge: 5,
  'engine-context.ts': 6,
  deploy: 7,
  apps: 8,
  servers: 8,
  'engine.ts': 9,
  daemon: 10,
};

/** The engine folder (or root file) a file belongs to, or null outside the engine. */
export function engineUnitOf(file) {
  const rel = path
    .relative(path.join(process.cwd(), 'src', 'main', 'engine'), file)
    .split(path.sep)
    .join('/');
  if (rel.startsWith('..')) return null;
  const first = rel.split('/')[0];
  return rel.includes('/') ? first : first.replace(/\.test\.ts$/, '.ts');
}

function engineOrderProblem(file, target) {
  const from = engineUnitOf(file);
  const to = engineUnitOf(target.endsWith('.ts') ? target : `${target}.ts`);
  if (!from || !to || from === to) return null;
  const [a, b] = [ENGINE_RANKS[from], ENGINE_RANKS[to]];
  if (a === undefined) return `src/main/engine/${from} has no place in the engine's order (add it to ENGINE_RANKS)`;
  if (b === undefined || b < a) return null;
  return `src/main/engine/${from} must not import from src/main/engine/${to} (the engine's order: a folder imports only lower ones)`;
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function problemWith(fromLayer, file, specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const resolved = path.resolve(path.dirname(file), specifier);
    const target = layerOf(resolved);
    if (target && !ALLOWED_LAYERS[fromLayer].includes(target)) {
      return `src/${fromLayer === 'engine' ? 'main/engine' : fromLayer} must not import from the ${target} layer`;
    }
    if (fromLayer === 'engine' && target === 'engine') return engineOrderProblem(file, resolved);
    return null;
  }
  const isNode = specifier.startsWith('node:') || NODE_BUILTINS.has(packageName(specifier));
  const pkg = packageName(specifier);
  if (fromLayer === 'shared' && isNode) return 'src/shared must not import Node modules';
  if (fromLayer === 'shared' && pkg === 'electron') return 'src/shared must not import electron';
  if (fromLayer === 'engine' && pkg === 'electron') return 'src/main/engine must not import electron';
  if (fromLayer === 'cli' && pkg === 'electron') return 'src/cli must not import electron';
  if (fromLayer === 'renderer' && (isNode || pkg === 'electron' || NODE_ONLY_PACKAGES.has(pkg))) {
    return `src/renderer may import only src/shared and browser packages, not "${specifier}"`;
  }
  if (fromLayer === 'preload' && isNode) return 'src/preload must not import Node modules (it runs sandboxed)';
  return null;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: "Enforce the direction of imports between Slipway's layers" },
    schema: [],
    messages: { forbidden: '{{problem}} ("{{specifier}}").' },
  },
  create(context) {
    const file = context.filename;
    const fromLayer = layerOf(file);
    if (!fromLayer) return {};
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return;
      const problem = problemWith(fromLayer, file, source.value);
      if (problem) context.report({ node, messageId: 'forbidden', data: { problem, specifier: source.value } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node, node.arguments[0]);
      },
    };
  },
};

export default { rules: { 'layer-boundaries': rule } };
