import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { packageTestConfig } from '../../tools/vitest.shared';

export default defineConfig(packageTestConfig(fileURLToPath(new URL('.', import.meta.url))));
