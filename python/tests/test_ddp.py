"""DDP for real: the example script trains the same adapter in one process and with
torch.distributed DDP over 2 spawned processes (gloo backend, CPU, rendezvous on 127.0.0.1);
the coefficients must agree. NCCL, GPUs and several nodes are not exercised here."""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

from ssh_peft_torch import read_adapter_file
from tests.models import make_plan

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(os.path.dirname(HERE), "examples", "train_ddp.py")


def load_example():
    spec = importlib.util.spec_from_file_location("train_ddp_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class DdpTest(unittest.TestCase):
    def test_two_process_ddp_gives_the_single_process_coefficients(self):
        example = load_example()
        model = example.build_model(0)
        names = ["encoder.0.query", "encoder.0.value", "encoder.1.up", "encoder.1.down", "head"]
        with tempfile.TemporaryDirectory() as d:
            plan = os.path.join(d, "plan.json")
            with open(plan, "w") as f:
                json.dump(make_plan(model, names, per_layer=24, seed=4, variant="true"), f)
            common = ["--plan", plan, "--backend", "gloo", "--steps", "25", "--batch", "64"]
            single_out = os.path.join(d, "adapter-1.safetensors")
            example.main(common + ["--out", single_out, "--processes", "1"])  # no DDP, in this process
            ddp_out = os.path.join(d, "adapter-2.safetensors")
            proc = subprocess.run([sys.executable, EXAMPLE, *common, "--out", ddp_out, "--processes", "2"],
                                  capture_output=True, text=True, timeout=240)
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
            single, ddp = read_adapter_file(single_out), read_adapter_file(ddp_out)
            worst = 0.0
            scale = 0.0
            for a, b in zip(single.layers, ddp.layers):
                self.assertEqual(a.name, b.name)
                np.testing.assert_array_equal(a.indices, b.indices)
                worst = max(worst, float(np.abs(a.coefficients - b.coefficients).max()))
                scale = max(scale, float(np.abs(a.coefficients).max()))
            print(f"parity: max |c_single − c_ddp2| after 25 Adam steps = {worst:.3e} (max |c| = {scale:.3e})", flush=True)
            self.assertGreater(scale, 1e-3)  # training moved the coefficients
            self.assertLess(worst, 1e-5 * max(1.0, scale))


if __name__ == "__main__":
    unittest.main()
