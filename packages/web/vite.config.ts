/**
 * Static build of the page into dist/: relative URLs everywhere (`base: './'`), so the folder
 * works from any static server and any sub-path. Sibling packages resolve to their built
 * dist (the published entry points), which is what a visitor's bundler would see.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // tfjs with four backends is one large chunk; that is expected here.
    chunkSizeWarningLimit: 4096,
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
