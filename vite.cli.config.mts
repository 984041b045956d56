import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

// The CLI runs on plain Node: bundle our code, keep packages and Node's modules external.
// zod is bundled: loading its hundred ES modules one by one costs every `slipway` call ~50 ms.
const bundled = new Set(['zod']);
const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies).filter((d) => !bundled.has(d)),
];

export default defineConfig({
  ssr: { noExternal: [...bundled] },
  build: {
    outDir: resolve(import.meta.dirname, 'out/cli'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    ssr: true,
    lib: {
      entry: {
        index: resolve(import.meta.dirname, 'src/cli/index.ts'),
        // The edge process the CLI starts to keep deployed apps answering after it exits.
        'edge-daemon': resolve(import.meta.dirname, 'src/main/engine/edge/edge-daemon-main.ts'),
        // The engine every front end connects to; the CLI starts it in the background when none runs.
        'engine-daemon': resolve(import.meta.dirname, 'src/main/engine/daemon/engine-daemon-main.ts'),
      },
      formats: ['es'],
      fileName: (_format, name) => `${name}.mjs`,
    },
    rollupOptions: { external: (id) => external.some((e) => id === e || id.startsWith(`${e}/`)) },
  },
});
