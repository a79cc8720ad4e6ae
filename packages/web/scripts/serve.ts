/**
 * `npm run web`: serves the built page (packages/web/dist) on 127.0.0.1 and prints its URL.
 * PORT picks the port (default 4173; a free one when that is taken).
 */
import { resolve } from 'node:path';
import { serveStatic } from './static-server';
import { WEB_DIR } from './base-model-files';

const wanted = Number(process.env.PORT ?? 4173);
const dist = resolve(WEB_DIR, 'dist');
let served;
try {
  served = await serveStatic(dist, wanted);
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  served = await serveStatic(dist, 0);
}
console.log(`ssh-peft web demo: ${served.url}  (serving ${dist}; Ctrl-C to stop)`);
