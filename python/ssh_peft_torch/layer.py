"""``SshLinear``: an ``nn.Linear`` whose weight is W0 + ΔW with ΔW = α·IDHT2(S) trained through the
sparse spectrum's coefficients only."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

from .errors import AdapterStateError
from .spectral import choose_path, dense_delta, delta_weight64, factored_delta, normalization_factor, spectral_terms, term_values


class SshLinear(nn.Module):
    """Replaces an ``nn.Linear`` in place (same ``weight``/``bias`` parameters, so the state dict
    keeps the base keys and gains ``ssh_coefficients``).

    ``forward(x)`` = ``F.linear(x, W0, b) + x·ΔW``, with x·ΔW by the factored route (two DHTs via
    ``torch.fft`` and the sparse mix, O(T·(d log d + n))) or, for very few tokens, the dense route
    (ΔW built, then one matmul); ``route`` = 'auto' | 'factored' | 'dense'. The spectral part runs
    in float32 for float32/float16/bfloat16 activations (``torch.fft`` has no bfloat16 kernels) and
    in float64 for float64 ones, and is cast back. Coefficients are always float32.

    Example::

        layer = SshLinear(nn.Linear(64, 32), "fc", indices=[0, 5, 77], alpha=300.0,
                          variant="separable", normalization="backward", fingerprint="ssh-fp1:64x32:…")
        y = layer(torch.randn(8, 64))
    """

    def __init__(self, base: nn.Linear, name: str, indices, alpha: float, variant: str, normalization: str,
                 fingerprint: str, coefficients=None, route: str = "auto"):
        super().__init__()
        self.in_features = base.in_features
        self.out_features = base.out_features
        self.weight = base.weight
        self.bias = base.bias
        self.ssh_name = name
        self.alpha = float(alpha)
        self.variant = variant
        self.normalization = normalization
        self.fingerprint = fingerprint
        self.route = route
        self.merged = False
        idx = np.asarray(indices, dtype=np.int64).reshape(-1)
        self._set_positions(idx)
        coef = torch.zeros(idx.size, dtype=torch.float32) if coefficients is None else torch.as_tensor(np.asarray(coefficients, dtype=np.float32)).clone()
        self.ssh_coefficients = nn.Parameter(coef.to(self.weight.device))

    @property
    def rows(self) -> int:
        return self.in_features

    @property
    def cols(self) -> int:
        return self.out_features

    def _set_positions(self, idx: np.ndarray) -> None:
        terms = spectral_terms(self.rows, self.cols, idx, self.variant)
        device = self.weight.device
        self.ssh_indices = idx.astype(np.uint32)
        # Non-persistent buffers: they follow .to(device) but stay out of the model's state dict
        # (the adapter file is where positions live).
        self.register_buffer("_term_u", torch.from_numpy(terms.u).to(device), persistent=False)
        self.register_buffer("_term_v", torch.from_numpy(terms.v).to(device), persistent=False)
        self.register_buffer("_term_source", torch.from_numpy(terms.source).to(device), persistent=False)
        self.register_buffer("_term_weight", torch.from_numpy(terms.weight).to(device=device, dtype=torch.float32), persistent=False)

    def replace_positions(self, indices, coefficients) -> None:
        """New positions and coefficients (another adapter for the same base); the coefficient
        parameter is a new object, so an optimizer must be rebuilt."""
        idx = np.asarray(indices, dtype=np.int64).reshape(-1)
        self._set_positions(idx)
        self.ssh_coefficients = nn.Parameter(torch.as_tensor(np.asarray(coefficients, dtype=np.float32)).clone().to(self.weight.device))

    @property
    def scale(self) -> float:
        return self.alpha * normalization_factor(self.rows, self.cols, self.normalization)

    def term_values(self) -> torch.Tensor:
        return term_values(self.ssh_coefficients, self._term_source, self._term_weight)

    def delta_weight(self, dtype=torch.float32) -> torch.Tensor:
        """ΔW ``[d_in, d_out]`` (float32 unless ``dtype`` says otherwise), differentiable w.r.t. the coefficients."""
        return dense_delta(self._term_u, self._term_v, self.term_values(), self.rows, self.cols, self.scale, dtype=dtype, device=self.weight.device)

    def delta_weight64(self) -> np.ndarray:
        """ΔW ``[d_in, d_out]`` in float64 (numpy), as @ssh-peft/adapter's ``deltaWeight64``."""
        return delta_weight64(self.rows, self.cols, self.ssh_indices, self.ssh_coefficients.detach().cpu().numpy(),
                              self.alpha, self.variant, self.normalization)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.linear(x, self.weight, self.bias)
        if self.merged:
            return y
        if x.shape[-1] != self.rows:
            raise ValueError(f"layer {self.ssh_name!r}: input has {x.shape[-1]} features, expected {self.rows}")
        # float64 activations keep their precision; anything narrower runs the spectral part in float32
        x2d = x.reshape(-1, self.rows).to(torch.float64 if x.dtype == torch.float64 else torch.float32)
        tokens = x2d.shape[0]
        route = self.route
        if route == "auto":
            route = choose_path(tokens, self.rows, self.cols, int(self._term_u.numel()), self.training and torch.is_grad_enabled())
        if route == "factored":
            d = factored_delta(x2d, self._term_u, self._term_v, self.term_values(), self.rows, self.cols, self.scale)
        elif route == "dense":
            d = x2d @ self.delta_weight(x2d.dtype)
        else:
            raise ValueError(f"layer {self.ssh_name!r}: route {route!r} is not one of auto, factored, dense")
        return y + d.reshape(*x.shape[:-1], self.cols).to(y.dtype)

    @torch.no_grad()
    def merge(self) -> None:
        """W = W0 + ΔW in the weight's dtype (the sum formed in float64, rounded once)."""
        if self.merged:
            raise AdapterStateError(f"layer {self.ssh_name!r} is already merged")
        self._combine(+1.0)
        self.merged = True

    @torch.no_grad()
    def unmerge(self) -> None:
        """W0 = W − ΔW (equal to the original W0 up to one rounding of the weight's dtype)."""
        if not self.merged:
            raise AdapterStateError(f"layer {self.ssh_name!r} is not merged")
        self._combine(-1.0)
        self.merged = False

    def _combine(self, sign: float) -> None:
        coef = self.ssh_coefficients.detach()
        if not torch.isfinite(coef).all():
            k = int((~torch.isfinite(coef)).nonzero()[0])
            raise AdapterStateError(f"layer {self.ssh_name!r}: coefficient {k} is {float(coef[k])}")
        dw_t = torch.from_numpy(self.delta_weight64()).t().to(self.weight.device)
        total = self.weight.detach().to(torch.float64) + sign * dw_t
        new = total.to(self.weight.dtype)
        if not torch.isfinite(new).all():
            raise AdapterStateError(f"layer {self.ssh_name!r}: W {'+' if sign > 0 else '−'} ΔW is not finite in {self.weight.dtype}")
        self.weight.copy_(new)

    def extra_repr(self) -> str:
        return (f"{self.ssh_name!r}, in_features={self.in_features}, out_features={self.out_features}, "
                f"n={self.ssh_indices.size}, alpha={self.alpha}, variant={self.variant}, normalization={self.normalization}, merged={self.merged}")
