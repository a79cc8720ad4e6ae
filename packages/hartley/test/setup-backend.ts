// The fallback project runs every test file with the WebAssembly SIMD path switched off, so that
// the JavaScript path (the reference, and what runtimes without WebAssembly SIMD get) is tested too.
import { setSimdEnabled } from '@ssh-peft/hartley';

if (process.env.HARTLEY_SIMD === 'off') setSimdEnabled(false);
