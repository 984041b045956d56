import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      // lowdb is ESM-only; the CommonJS main bundle must carry it inside.
      externalizeDeps: { exclude: ['lowdb'] },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          // The edge process the app starts (Electron runs it as Node) to keep deployed apps answering.
          'edge-daemon': resolve(__dirname, 'src/main/engine/edge/edge-daemon-main.ts'),
          // The engine the window (and the CLI) connect to; the app starts it, run as Node, when none runs.
          'engine-daemon': resolve(__dirname, 'src/main/engine/daemon/engine-daemon-main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require packages: bundle everything into it.
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
