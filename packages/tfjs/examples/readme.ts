// The README example with random data: npx tsx --conditions=@ssh-peft/source examples/readme.ts
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { applySSH, buildTinyViT } from '@ssh-peft/tfjs';

await tf.setBackend('cpu');
const x = tf.randomUniform([64, 784], 0, 1, 'float32', 1);
const y = tf.cast(tf.oneHot(tf.randomUniform([64], 0, 10, 'int32', 2), 10), 'float32');

const model = buildTinyViT({ dim: 32, depth: 2, heads: 4, mlpDim: 64, numClasses: 10, seed: 1 });

const ssh = await applySSH(model, { targets: /_(q|v)$/, perLayer: 64, trainable: ['head'] });
ssh.model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
await ssh.model.fit(x, y, { epochs: 3, callbacks: [ssh.finiteCheck()], verbose: 0 });

console.log(ssh.summary());        // trainable: 4·64 coefficients + the head
ssh.merge();                       // inference at the base model's cost
const adapter = ssh.exportAdapter(); // an @ssh-peft/adapter object: save it with saveAdapter()
console.log(adapter.layers.map((l) => `${l.name}: ${l.indices.length} positions`).join(', '));
