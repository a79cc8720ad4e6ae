import unittest

import numpy as np
import torch

from ssh_peft_torch.spectral import (delta_weight64, dense_delta, dht_last, factored_delta, normalization_factor,
                                     spectral_terms, term_values)
from ssh_peft_torch.layer import SshLinear
from tests.reference import cas_matrix, reference_delta

VARIANTS = ("separable", "true")
NORMS = ("backward", "ortho", "forward")


def random_case(rng, rows=None, cols=None):
    rows = rows or int(rng.integers(1, 12))
    cols = cols or int(rng.integers(1, 12))
    n = int(rng.integers(1, rows * cols + 1))
    idx = rng.choice(rows * cols, size=n, replace=False)
    coef = rng.standard_normal(n).astype(np.float32)
    return rows, cols, idx, coef


class SpectralTest(unittest.TestCase):
    def test_dht_matches_cas_matrix_for_odd_and_even_lengths(self):
        rng = np.random.default_rng(1)
        for n in (1, 2, 3, 7, 8, 15, 64):
            x = rng.standard_normal((3, n))
            got = dht_last(torch.from_numpy(x)).numpy()
            np.testing.assert_allclose(got, x @ cas_matrix(n), atol=1e-10, err_msg=f"n={n}")

    def test_delta_weight64_matches_the_definition_for_every_variant_and_normalization(self):
        seed = 20261128
        rng = np.random.default_rng(seed)
        for trial in range(30):
            rows, cols, idx, coef = random_case(rng)
            for variant in VARIANTS:
                for norm in NORMS:
                    alpha = float(rng.uniform(-3, 3))
                    got = delta_weight64(rows, cols, idx, coef, alpha, variant, norm)
                    want = reference_delta(rows, cols, idx, coef, alpha, variant, norm)
                    np.testing.assert_allclose(got, want, atol=1e-10, rtol=1e-10,
                                               err_msg=f"seed {seed} trial {trial} {rows}x{cols} {variant}/{norm}")

    def test_factored_and_dense_routes_equal_x_times_reference_delta(self):
        seed = 7
        rng = np.random.default_rng(seed)
        for trial in range(20):
            rows, cols, idx, coef = random_case(rng)
            tokens = int(rng.integers(1, 9))
            x = rng.standard_normal((tokens, rows))
            for variant in VARIANTS:
                for norm in NORMS:
                    t = spectral_terms(rows, cols, idx, variant)
                    vals = term_values(torch.from_numpy(coef.astype(np.float64)), torch.from_numpy(t.source), torch.from_numpy(t.weight))
                    scale = 2.5 * normalization_factor(rows, cols, norm)
                    u, v = torch.from_numpy(t.u), torch.from_numpy(t.v)
                    want = x @ reference_delta(rows, cols, idx, coef, 2.5, variant, norm)
                    fact = factored_delta(torch.from_numpy(x), u, v, vals, rows, cols, scale).numpy()
                    dense = (torch.from_numpy(x) @ dense_delta(u, v, vals, rows, cols, scale, dtype=torch.float64)).numpy()
                    msg = f"seed {seed} trial {trial} {rows}x{cols} T={tokens} {variant}/{norm}"
                    np.testing.assert_allclose(fact, want, atol=1e-9, rtol=1e-9, err_msg=msg)
                    np.testing.assert_allclose(dense, want, atol=1e-9, rtol=1e-9, err_msg=msg)

    def test_factored_route_is_differentiable_gradcheck(self):
        rng = np.random.default_rng(3)
        for variant in VARIANTS:
            rows, cols, idx, coef = random_case(rng, 6, 5)
            t = spectral_terms(rows, cols, idx, variant)
            u, v = torch.from_numpy(t.u), torch.from_numpy(t.v)
            src, w = torch.from_numpy(t.source), torch.from_numpy(t.weight)
            x = torch.randn(4, rows, dtype=torch.float64, requires_grad=True)
            c = torch.tensor(coef, dtype=torch.float64, requires_grad=True)
            f = lambda x, c: factored_delta(x, u, v, term_values(c, src, w), rows, cols, 0.3)
            self.assertTrue(torch.autograd.gradcheck(f, (x, c)), variant)

    def test_ssh_linear_routes_agree_in_float32_and_bfloat16(self):
        torch.manual_seed(0)
        rng = np.random.default_rng(11)
        for variant in VARIANTS:
            base = torch.nn.Linear(24, 10)
            idx = rng.choice(240, size=30, replace=False)
            coef = rng.standard_normal(30).astype(np.float32)
            layer = SshLinear(base, "fc", idx, 40.0, variant, "backward", "fp", coefficients=coef)
            x = torch.randn(3, 5, 24)
            want = x.double() @ (base.weight.double().t() + torch.from_numpy(layer.delta_weight64())) + base.bias.double()
            for route in ("factored", "dense", "auto"):
                layer.route = route
                got = layer(x)
                self.assertEqual(got.shape, (3, 5, 10))
                np.testing.assert_allclose(got.detach().double().numpy(), want.detach().numpy(), atol=2e-5, err_msg=f"{variant} {route}")
            layer.route = "auto"
            lb = SshLinear(torch.nn.Linear(24, 10).to(torch.bfloat16), "fc", idx, 40.0, variant, "backward", "fp", coefficients=coef)
            lb.weight.data.copy_(base.weight.data.to(torch.bfloat16))
            lb.bias.data.copy_(base.bias.data.to(torch.bfloat16))
            xb = x.to(torch.bfloat16)
            yb = lb(xb)
            self.assertEqual(yb.dtype, torch.bfloat16)
            wb = xb.double() @ (lb.weight.double().t() + torch.from_numpy(lb.delta_weight64())) + lb.bias.double()
            err = (yb.double() - wb).abs().max().item() / wb.abs().max().item()
            self.assertLess(err, 2e-2, f"bf16 relative error {err}")
            yb.float().sum().backward()
            self.assertTrue(torch.isfinite(lb.ssh_coefficients.grad).all())

    def test_float64_activations_keep_float64_precision_on_both_routes(self):
        rng = np.random.default_rng(12)
        for variant in VARIANTS:
            base = torch.nn.Linear(9, 7).double()
            idx = rng.choice(63, size=11, replace=False)
            coef = rng.standard_normal(11).astype(np.float32)
            layer = SshLinear(base, "fc", idx, 3.0, variant, "ortho", "fp", coefficients=coef)
            x = torch.randn(4, 9, dtype=torch.float64)
            want = x @ (base.weight.t() + torch.from_numpy(layer.delta_weight64())) + base.bias
            for route in ("factored", "dense"):
                layer.route = route
                got = layer(x)
                self.assertEqual(got.dtype, torch.float64)
                np.testing.assert_allclose(got.detach().numpy(), want.detach().numpy(), atol=1e-12, err_msg=f"{variant} {route}")

    def test_auto_route_follows_the_tfjs_cost_model(self):
        from ssh_peft_torch.spectral import choose_path, estimate_costs
        self.assertEqual(choose_path(4096, 768, 768, 1000, True), "factored")
        # a tiny layer at inference: building ΔW once is cheaper than two transforms per token
        self.assertEqual(choose_path(100, 8, 8, 2, False), "dense")
        self.assertEqual(estimate_costs(100, 8, 8, 2, False), (100 * (8 * 3 + 8 * 3 + 4), 64 * 3 + 16 + 64 * 3))

if __name__ == "__main__":
    unittest.main()
