"""Parity with the TypeScript packages: fingerprints, adapter bytes and ΔW, torch → ssh-peft select →
train → save_adapter → ONNX export → ssh-peft merge → onnxruntime-node, and a tfjs-trained adapter
loaded into torch. Figures are printed as `parity: …` lines (docs/scale.md quotes them)."""
import json
import os
import re
import tempfile
import unittest

import numpy as np
import torch
from torch import nn

from ssh_peft_torch import (Adapter, AdapterLayer, apply_ssh, fingerprint_linear_weight, fingerprint_matrix, load_adapter, merge,
                            save_adapter, save_safetensors, write_adapter_file)
from ssh_peft_torch.spectral import delta_weight64
from tests.models import TinyNet, train
from tests.node_bridge import BRIDGE, bridge, run_ts, ssh_peft


def report(name, value):
    print(f"parity: {name} = {value:.3e}", flush=True)


class CrossLanguageTest(unittest.TestCase):
    """The TypeScript side of the fingerprint, file and tfjs checks runs once, in one Node process
    (setUpClass); each test asserts on its part."""

    @classmethod
    def setUpClass(cls):
        cls.shared = tempfile.TemporaryDirectory()
        d = cls.shared.name
        cls.fp_inputs = cls._fingerprint_inputs(os.path.join(d, "w.safetensors"))
        cls.adapter_files = cls._python_adapters(d)
        cls.tfjs_dir = os.path.join(d, "tfjs")
        os.mkdir(cls.tfjs_dir)
        outs = {k: os.path.join(d, f"{k}.json") for k in ("fp", "check", "tfjs")}
        spec = os.path.join(d, "batch.json")
        with open(spec, "w") as f:
            json.dump([["fingerprints", outs["fp"], os.path.join(d, "w.safetensors")],
                       ["check-adapter", outs["check"], *cls.adapter_files],
                       ["tfjs-train", outs["tfjs"], cls.tfjs_dir]], f)
        run_ts(BRIDGE, "batch", spec)
        cls.ts = {}
        for k, path in outs.items():
            with open(path, encoding="utf-8") as f:
                cls.ts[k] = json.load(f)

    @classmethod
    def tearDownClass(cls):
        cls.shared.cleanup()

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    @staticmethod
    def _fingerprint_inputs(path):
        rng = np.random.default_rng(5)
        tensors = {}
        for k, (r, c) in enumerate([(1, 1), (3, 7), (8, 8), (13, 5), (64, 33)]):
            tensors[f"m{k}"] = rng.standard_normal((r, c)).astype(np.float32)
        tensors["special"] = np.array([[0.0, -0.0, np.float32(1e-45), np.inf], [-np.inf, 3.4e38, -1.0, 0.5]], np.float32)
        # nn.Linear weights [d_out, d_in] in every dtype a checkpoint may hold
        linears = {}
        for k, dtype in enumerate((torch.float32, torch.bfloat16, torch.float16, torch.float64)):
            lin = nn.Linear(int(rng.integers(1, 40)), int(rng.integers(1, 40))).to(dtype)
            linears[f"layers.{k}.proj"] = lin
            tensors[f"layers.{k}.proj.weight"] = lin.weight.detach()
        save_safetensors(tensors, path)
        return tensors, linears

    @staticmethod
    def _python_adapters(d):
        rng = np.random.default_rng(2026)
        files = {}
        for variant in ("separable", "true"):
            for norm in ("backward", "ortho", "forward"):
                layers = []
                for k in range(2):
                    rows, cols = int(rng.integers(1, 17)), int(rng.integers(1, 17))
                    n = int(rng.integers(1, rows * cols + 1))
                    idx = rng.choice(rows * cols, size=n, replace=False).astype(np.uint32)  # unsorted on purpose
                    coef = rng.standard_normal(n).astype(np.float32)
                    layers.append(AdapterLayer(f"blocks.{k}.attn", rows, cols, float(rng.uniform(0.5, 400)), f"ssh-fp1:{rows}x{cols}:0123456789abcdef", idx, coef))
                config = {"variant": variant, "normalization": norm, "init": "zeros", "initStd": 0, "seed": 1,
                          "selection": {"strategy": "per-layer", "energyRatio": 0.7}, "metadata": {"made by": "python"}}
                # one of the six as a PEFT directory (adapter_model.safetensors + adapter_config.json)
                suffix = "" if (variant, norm) == ("true", "forward") else ".safetensors"
                path = os.path.join(d, f"{variant}-{norm}{suffix}")
                write_adapter_file(Adapter(config, layers), path)
                files[path] = (config, layers)
        return files

    def test_fingerprints_equal_typescript_for_stored_and_torch_layouts(self):
        tensors, linears = self.fp_inputs
        ts = self.ts["fp"]
        for name, arr in tensors.items():
            if isinstance(arr, np.ndarray):
                self.assertEqual(fingerprint_matrix(arr), ts["stored"][name], name)
        for name, lin in linears.items():
            self.assertEqual(fingerprint_linear_weight(lin.weight), ts["torch"][name], f"{name} {lin.weight.dtype}")
        self.assertEqual(sorted(ts["torch"]), sorted(linears))

    def test_typescript_decodes_python_adapters_byte_identically_and_agrees_on_delta(self):
        ts = self.ts["check"]
        self.assertEqual(sorted(ts), sorted(self.adapter_files))
        worst = 0.0
        for path, (config, layers) in self.adapter_files.items():
            got = ts[path]
            self.assertEqual(got["version"], 2)
            self.assertTrue(got["reencodedIdentical"], path)
            for layer in layers:
                want = delta_weight64(layer.rows, layer.cols, layer.indices, layer.coefficients, layer.alpha, config["variant"], config["normalization"])
                ts_dw = np.array(got["layers"][layer.name]["deltaWeight"]).reshape(layer.rows, layer.cols)
                err = float(np.abs(ts_dw - want).max() / max(1e-300, np.abs(want).max()))
                worst = max(worst, err)
                self.assertLess(err, 1e-12, f"{path} {layer.name}")
        report("max relative |ΔW_torch − ΔW_ts| (float64, 12 layers, both variants, 3 normalizations)", worst)

    def test_torch_select_train_save_export_merge_onnxruntime(self):
        torch.manual_seed(0)
        model = TinyNet(seed=3)
        state = model.state_dict()
        # a sharded checkpoint with its index, as large models ship
        names = list(state)
        half = len(names) // 2
        shards = {"model-00001-of-00002.safetensors": names[:half], "model-00002-of-00002.safetensors": names[half:]}
        for file, keys in shards.items():
            save_safetensors({k: state[k] for k in keys}, os.path.join(self.dir, file))
        index = os.path.join(self.dir, "model.safetensors.index.json")
        with open(index, "w") as f:
            json.dump({"metadata": {}, "weight_map": {k: file for file, keys in shards.items() for k in keys}}, f)
        plan = os.path.join(self.dir, "plan.json")
        ssh_peft("select", "--layout", "torch", "--model", index, "--budget", "120", "--targets", r"^encoder\.\d\.(query|value|up|down)$", "--out", plan)

        handle = apply_ssh(model, plan, alpha=300.0)
        x = torch.randn(64, 12)
        y = torch.randn(64, 5)
        before = float(nn.functional.mse_loss(model(x), y))
        after = train(model, handle.parameters(), x, y, steps=40, lr=0.02)
        self.assertLess(after, before)
        adapter = os.path.join(self.dir, "adapter.safetensors")
        save_adapter(model, adapter)

        base = TinyNet(seed=3)
        # 2-D input: each nn.Linear exports as Gemm(transB=1) on its own `<name>.weight`, found by name.
        onnx_path = os.path.join(self.dir, "base.onnx")
        torch.onnx.export(base, torch.randn(2, 12), onnx_path, input_names=["x"], output_names=["y"],
                          dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, opset_version=17)
        merged = os.path.join(self.dir, "merged.onnx")
        # 3-D input: the exporter folds Wᵀ into new initializers `onnx::MatMul_N` (numbered in call
        # order); --map names them, and the merge's fingerprint check proves the mapping right.
        onnx3d = os.path.join(self.dir, "base3d.onnx")
        torch.onnx.export(base, torch.randn(2, 3, 12), onnx3d, input_names=["x"], output_names=["y"], opset_version=17)
        with open(onnx3d, "rb") as f:
            folded = sorted(set(re.findall(rb"onnx::MatMul_(\d+)", f.read())), key=int)
        order = []
        hooks = [m.register_forward_hook(lambda mod, i, o, name=name: order.append(name))
                 for name, m in base.named_modules() if isinstance(m, nn.Linear)]
        base(torch.randn(1, 12))
        for hk in hooks:
            hk.remove()
        self.assertEqual(len(folded), len(order))
        maps = []
        for name, number in zip(order, folded):
            if name in handle.layers:
                maps += ["--map", f"{name}=onnx::MatMul_{number.decode()}"]
        merged3d = os.path.join(self.dir, "merged3d.onnx")

        xt = torch.randn(16, 12)
        x3 = torch.randn(2, 3, 12)
        feeds = []
        for k, x_ in enumerate((xt, x3)):
            feeds.append(os.path.join(self.dir, f"x{k}.json"))
            with open(feeds[-1], "w") as f:
                json.dump({"name": "x", "shape": list(x_.shape), "data": x_.flatten().tolist()}, f)
        spec = os.path.join(self.dir, "spec.json")
        with open(spec, "w") as f:
            json.dump({"cli": [["merge", "--model", onnx_path, "--adapter", adapter, "--out", merged],
                               ["merge", "--model", onnx3d, "--adapter", adapter, "--out", merged3d, *maps]],
                       "onnx": [[merged, feeds[0]], [merged3d, feeds[1]]],
                       "hotSwap": [[onnx_path, adapter, feeds[0]]]}, f)
        result = bridge("pipeline", os.path.join(self.dir, "serve.json"), spec)
        for run in result["cli"]:
            self.assertEqual(run["code"], 0, run)
        outs = result["onnx"]
        model.eval()
        for label, x_, out in (("2-D, Gemm", xt, outs[0]), ("3-D, MatMul + --map", x3, outs[1])):
            ort_y = np.array(out["data"], dtype=np.float64).reshape(out["shape"])
            with torch.no_grad():
                torch_y = model(x_).double().numpy()
                base_y = base(x_).double().numpy()
            diff = float(np.abs(ort_y - torch_y).max())
            report(f"max |onnxruntime(merged) − torch(adapted)| ({label}, {ort_y.size} outputs)", diff)
            report(f"for scale ({label}): max |torch(adapted) − torch(base)|", float(np.abs(torch_y - base_y).max()))
            self.assertLess(diff, 1e-4, label)
            self.assertGreater(float(np.abs(torch_y - base_y).max()), 1e-2, label)  # the adapter changed the outputs
        # the same adapter served without merging: one hot-swap session on the base model
        hs = result["hotSwap"][0]
        with torch.no_grad():
            torch_y, base_y = model(xt).double().numpy(), base(xt).double().numpy()
        adapted = np.array(hs["adapted"], dtype=np.float64).reshape(hs["shape"])
        plain = np.array(hs["base"], dtype=np.float64).reshape(hs["shape"])
        report("max |hot-swap session(adapter) − torch(adapted)| (2-D, 80 outputs)", float(np.abs(adapted - torch_y).max()))
        report("max |hot-swap session(no adapter) − torch(base)|", float(np.abs(plain - base_y).max()))
        self.assertLess(float(np.abs(adapted - torch_y).max()), 1e-4)
        self.assertLess(float(np.abs(plain - base_y).max()), 1e-4)

    def test_tfjs_trained_adapter_loads_into_torch_with_the_tfjs_outputs(self):
        tf = self.ts["tfjs"]
        layers = {}
        for name, w in tf["base"].items():
            d_in, d_out = w["shape"]
            lin = nn.Linear(d_in, d_out)
            with torch.no_grad():
                lin.weight.copy_(torch.tensor(w["kernel"], dtype=torch.float32).reshape(d_in, d_out).t())
                lin.bias.copy_(torch.tensor(w["bias"], dtype=torch.float32))
            layers[name] = lin

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.q, self.up, self.head = layers["q"], layers["up"], layers["head"]

            def forward(self, x):
                return self.head(torch.relu(self.up(torch.tanh(self.q(x)))))

        net = Net()
        handle = load_adapter(net, os.path.join(self.tfjs_dir, "adapter.safetensors"))
        self.assertEqual(sorted(handle.layers), ["q", "up"])
        self.assertEqual((handle.config["variant"], handle.config["normalization"]), ("true", "ortho"))
        x = torch.tensor(tf["x"], dtype=torch.float32).reshape(-1, 12)
        want = np.array(tf["y"], dtype=np.float64).reshape(tf["shape"])
        with torch.no_grad():
            got = net(x).double().numpy()
            merge(net)
            got_merged = net(x).double().numpy()
        diff = float(np.abs(got - want).max())
        report("max |torch(load_adapter of a tfjs adapter) − tfjs| (48×5 outputs)", diff)
        report("same, merged in torch", float(np.abs(got_merged - want).max()))
        self.assertLess(diff, 1e-4)
        self.assertLess(float(np.abs(got_merged - want).max()), 1e-4)


if __name__ == "__main__":
    unittest.main()
