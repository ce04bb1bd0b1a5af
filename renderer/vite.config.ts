import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dev server injects an inline React-refresh preamble, which the production CSP forbids; the
 * policy is only dropped while developing, never from a build.
 */
function dropCspInDev(): Plugin {
  return {
    name: 'port-auditor:drop-csp-in-dev',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/, '');
    },
  };
}

export default defineConfig({
  root,
  // Relative asset URLs so the same build loads from http:// (browser mode) and app:// or file:// (Electron).
  base: './',
  plugins: [react(), dropCspInDev()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // No inline scripts or data: modules: the CSP allows only files from our own origin.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
  },
  server: { host: '127.0.0.1' },
});
