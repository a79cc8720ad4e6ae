import os
import tempfile
import unittest

import numpy as np
import torch

from ssh_peft_torch import (AdapterStateError, LayerMismatchError, SshLinear, apply_ssh, load_adapter, merge,
                            read_adapter_file, save_adapter, to_adapter, unmerge)
from tests.models import TinyNet, make_plan, train

NAMES = ["encoder.0.query", "encoder.0.value", "encoder.1.up", "encoder.1.down"]


class ApiTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.x = torch.randn(32, 12)
        self.y = torch.randn(32, 5)

    def test_zeros_init_starts_at_the_base_and_only_coefficients_train(self):
        model = TinyNet()
        base_out = model(self.x).detach()
        before = {k: v.clone() for k, v in model.state_dict().items()}
        h = apply_ssh(model, make_plan(model, NAMES), alpha=300.0)
        self.assertTrue(torch.equal(model(self.x), base_out))
        self.assertEqual(sorted(h.layers), sorted(NAMES))
        self.assertEqual([n for n, p in model.named_parameters() if p.requires_grad],
                         [f"{n}.ssh_coefficients" for n in NAMES])
        first = float(torch.nn.functional.mse_loss(model(self.x), self.y))
        last = train(model, h.parameters(), self.x, self.y)
        self.assertLess(last, first)
        after = model.state_dict()
        for k, v in before.items():
            self.assertTrue(torch.equal(after[k], v), k)

    def test_plan_errors_name_the_layer(self):
        model = TinyNet()
        plan = make_plan(model, ["encoder.0.query"])
        cases = []
        p = make_plan(model, ["encoder.0.query"]); p["layers"][0]["name"] = "encoder.0.qkv"; cases.append((p, "encoder.0.qkv", "no module"))
        p = make_plan(model, ["encoder.0.query"]); p["layers"][0]["name"] = "encoder.0"; cases.append((p, "encoder.0", "Block"))
        p = make_plan(model, ["encoder.0.up"]); p["layers"][0]["rows"], p["layers"][0]["cols"] = 20, 12
        p["layers"][0]["fingerprint"] = "ssh-fp1:20x12:0000000000000000"; cases.append((p, "encoder.0.up", "[20, 12]"))
        p = make_plan(model, ["encoder.0.query"]); p["layers"][0]["fingerprint"] = plan["layers"][0]["fingerprint"][:-4] + "0000"; cases.append((p, "encoder.0.query", "fingerprint"))
        for plan_, layer, text in cases:
            with self.assertRaises(LayerMismatchError) as ctx:
                apply_ssh(model, plan_)
            self.assertEqual(ctx.exception.layer, layer)
            self.assertIn(text, str(ctx.exception))
            self.assertFalse(any(isinstance(m, SshLinear) for m in model.modules()), "model changed before the error")
        # a transposed square weight is another base
        sq = TinyNet()
        with torch.no_grad():
            sq.encoder[0].query.weight.copy_(sq.encoder[0].query.weight.t().clone())
        with self.assertRaises(LayerMismatchError):
            apply_ssh(sq, plan)

    def test_save_load_round_trip_reproduces_outputs(self):
        for variant in ("separable", "true"):
            for norm in ("backward", "ortho", "forward"):
                model = TinyNet(seed=1)
                h = apply_ssh(model, make_plan(model, NAMES, variant=variant, normalization=norm), alpha=2.0 if norm == "forward" else 300.0, init="normal")
                with torch.no_grad():
                    for p in h.parameters():
                        p.mul_(0.01 if norm == "forward" else 1.0)
                out = model(self.x).detach()
                with tempfile.TemporaryDirectory() as d:
                    path = os.path.join(d, "a.safetensors")
                    save_adapter(h, path)
                    a = read_adapter_file(path)
                    self.assertEqual((a.version, a.config["variant"], a.config["normalization"], a.config["init"]), (2, variant, norm, "normal"))
                    fresh = TinyNet(seed=1)
                    h2 = load_adapter(fresh, path)
                    np.testing.assert_array_equal(fresh(self.x).detach().numpy(), out.numpy(), err_msg=f"{variant}/{norm}")
                    # loading again replaces positions in place
                    load_adapter(fresh, path)
                    other = TinyNet(seed=2)
                    with self.assertRaises(LayerMismatchError):
                        load_adapter(other, path)
                self.assertEqual(h2.num_coefficients(), h.num_coefficients())

    def test_merge_and_unmerge(self):
        model = TinyNet()
        h = apply_ssh(model, make_plan(model, NAMES, variant="true"), init="normal")
        w0 = model.encoder[0].query.weight.detach().clone()
        out = model(self.x).detach()
        scale = out.abs().max().item()
        merge(model)
        np.testing.assert_allclose(model(self.x).detach().numpy(), out.numpy(), atol=1e-5 * scale)
        with self.assertRaises(AdapterStateError):
            merge(model)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "a.safetensors")
            save_adapter(model, path)
            with self.assertRaises(AdapterStateError):
                load_adapter(model, path)  # the base weights are not W0 while merged
        unmerge(model)
        self.assertLess((model.encoder[0].query.weight - w0).abs().max().item(), 1e-6 * max(1.0, w0.abs().max().item() * 100))
        np.testing.assert_allclose(model(self.x).detach().numpy(), out.numpy(), atol=1e-5 * scale)

    def test_bfloat16_model(self):
        model = TinyNet().to(torch.bfloat16)
        h = apply_ssh(model, make_plan(model, NAMES))
        x = self.x.to(torch.bfloat16)
        self.assertEqual(model(x).dtype, torch.bfloat16)
        loss = torch.nn.functional.mse_loss(model(x).float(), self.y)
        loss.backward()
        for p in h.parameters():
            self.assertEqual(p.dtype, torch.float32)
            self.assertIsNotNone(p.grad)
        self.assertEqual(to_adapter(h).layers[0].coefficients.dtype, np.float32)


if __name__ == "__main__":
    unittest.main()
