#!/usr/bin/env python3
"""Time of the pure-Python ssh-fp1 fingerprint against @ssh-peft/selection's fingerprintWeights
(the peer, Node) on the same matrix, in the same run; prints µs per weight and the ratio.

    nice /usr/bin/python3 python/bench/fingerprint.py [rows] [cols]
"""
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from ssh_peft_torch import fingerprint_matrix, save_safetensors  # noqa: E402

NODE = r"""
import { readFileSync } from 'node:fs';
import { decodeSafetensors } from '@ssh-peft/adapter';
import { fingerprintWeights } from '@ssh-peft/selection';
const t = decodeSafetensors(new Uint8Array(readFileSync(process.argv[2]))).tensors.get('w');
const w = new Float32Array(t.bytes.slice().buffer);
let fp = '';
const start = process.hrtime.bigint();
for (let k = 0; k < 5; k++) fp = fingerprintWeights(w, t.shape[0], t.shape[1]);
console.log(JSON.stringify({ seconds: Number(process.hrtime.bigint() - start) / 5e9, fp }));
"""


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    cols = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
    w = np.random.default_rng(0).standard_normal((rows, cols)).astype(np.float32)
    with tempfile.TemporaryDirectory(dir=ROOT) as d:
        path = os.path.join(d, "w.safetensors")
        save_safetensors({"w": w}, path)
        script = os.path.join(d, "fp.mts")
        with open(script, "w") as f:
            f.write(NODE)
        out = subprocess.run([os.path.join(ROOT, "node_modules", ".bin", "tsx"), "--conditions=@ssh-peft/source", script, path],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
        import json
        node = json.loads(out)
        start = time.perf_counter()
        fp = fingerprint_matrix(w)
        py = time.perf_counter() - start
    assert fp == node["fp"], (fp, node["fp"])
    n = rows * cols
    print(f"{rows}×{cols}: python {py * 1e6 / n:.3f} µs/weight, node {node['seconds'] * 1e6 / n:.4f} µs/weight, "
          f"python/node = {py / node['seconds']:.0f}×; same fingerprint {fp}")


if __name__ == "__main__":
    main()
