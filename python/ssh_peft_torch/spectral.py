"""The SSH update ΔW = α·IDHT2(S) in torch: spectral terms, the factored route x·ΔW, the dense ΔW.

Conventions (docs/adapter-format.md §1): S is ``[rows, cols] = [d_in, d_out]`` with
``S[u, v] = c_k`` at flat position ``u·cols + v``. The separable inverse is
``scale · C_rows · S · C_cols`` (C = cas matrix, symmetric); the true 2-D inverse equals the
separable one applied to the reflected spectrum ½(S + R·S + S·R − R·S·R), R = index negation,
so both variants become a list of signed *terms* (u, v, coefficient k, weight) sharing the same
two transforms. DHT(x) = Re(FFT(x)) − Im(FFT(x)); ``torch.fft.fft`` is differentiable.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch


def normalization_factor(rows: int, cols: int, normalization: str) -> float:
    """Factor of the inverse 2-D DHT: backward 1/(rows·cols), ortho 1/√(rows·cols), forward 1."""
    size = rows * cols
    if normalization == "backward":
        return 1.0 / size
    if normalization == "ortho":
        return 1.0 / math.sqrt(size)
    if normalization == "forward":
        return 1.0
    raise ValueError(f"normalization {normalization!r} is not one of backward, ortho, forward")


@dataclass
class SpectralTerms:
    """Positions expanded for a variant: term t adds ``weight[t] · c[source[t]]`` to ``S'[u[t], v[t]]``."""

    rows: int
    cols: int
    u: np.ndarray  # int64 [m]
    v: np.ndarray  # int64 [m]
    source: np.ndarray  # int64 [m], index into the coefficients
    weight: np.ndarray  # float64 [m]


def spectral_terms(rows: int, cols: int, indices, variant: str) -> SpectralTerms:
    """The signed terms of ``indices`` for ``variant`` ('separable': one per position; 'true': the
    four reflections u/−u × v/−v with weights ½, ½, ½, −½; coinciding reflections are kept as
    separate terms, which sums to the same S')."""
    idx = np.asarray(indices, dtype=np.int64).reshape(-1)
    u = idx // cols
    v = idx % cols
    k = np.arange(idx.size, dtype=np.int64)
    if variant == "separable":
        return SpectralTerms(rows, cols, u, v, k, np.ones(idx.size))
    if variant != "true":
        raise ValueError(f"variant {variant!r} is not one of separable, true")
    nu = (-u) % rows
    nv = (-v) % cols
    half = np.full(idx.size, 0.5)
    return SpectralTerms(
        rows, cols,
        np.concatenate([u, nu, u, nu]),
        np.concatenate([v, v, nv, nv]),
        np.concatenate([k, k, k, k]),
        np.concatenate([half, half, half, -half]),
    )


def dht_last(x: torch.Tensor) -> torch.Tensor:
    """Unnormalised DHT along the last axis: Σ_j x[j]·cas(2π·j·k/N) = Re(FFT) − Im(FFT)."""
    f = torch.fft.fft(x, dim=-1)
    return f.real - f.imag


def term_values(coefficients: torch.Tensor, source: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """The signed value of every term (differentiable w.r.t. the coefficients)."""
    return coefficients.index_select(0, source) * weight


def sparse_mix(t: torch.Tensor, u: torch.Tensor, v: torch.Tensor, values: torch.Tensor, cols: int) -> torch.Tensor:
    """``t·S'`` for ``t`` ``[T, rows]``: column u of t times the term value, added into column v."""
    contrib = t.index_select(1, u) * values
    out = torch.zeros(t.shape[0], cols, dtype=t.dtype, device=t.device)
    return out.index_add(1, v, contrib)


def factored_delta(x2d: torch.Tensor, u, v, values, rows: int, cols: int, scale: float) -> torch.Tensor:
    """``x2d·ΔW`` (``[T, rows]`` → ``[T, cols]``) without building ΔW: DHT over the features, the
    sparse mix, DHT over the outputs, times α·normalisation."""
    return dht_last(sparse_mix(dht_last(x2d), u, v, values, cols)) * scale


def dense_delta(u, v, values, rows: int, cols: int, scale: float, dtype=torch.float32, device=None) -> torch.Tensor:
    """ΔW ``[rows, cols]`` = scale·C_rows·S'·C_cols (differentiable w.r.t. ``values``)."""
    s = torch.zeros(rows, cols, dtype=dtype, device=device)
    s = s.index_put((u, v), values.to(dtype), accumulate=True)
    return dht_last(dht_last(s).t()).t() * scale


def estimate_costs(tokens: int, rows: int, cols: int, terms: int, training: bool):
    """Extra multiply-adds of each route (the cost model of the tfjs backend): factored ≈ passes·T·
    (rows·log rows + cols·log cols + 2m); dense ≈ passes·(rows²·log rows + rows·m + rows·cols·log cols)
    plus T·rows·cols for ∂L/∂ΔW when training."""
    lr = math.log2(max(rows, 2))
    lc = math.log2(max(cols, 2))
    passes = 2 if training else 1
    factored = passes * tokens * (rows * lr + cols * lc + 2 * terms)
    dense = passes * (rows * rows * lr + rows * terms + rows * cols * lc) + (tokens * rows * cols if training else 0)
    return factored, dense


def choose_path(tokens: int, rows: int, cols: int, terms: int, training: bool) -> str:
    """'factored' unless building ΔW is estimated cheaper (only for very few tokens)."""
    factored, dense = estimate_costs(tokens, rows, cols, terms, training)
    return "factored" if factored <= dense else "dense"


def delta_weight64(rows: int, cols: int, indices, coefficients, alpha: float, variant: str, normalization: str) -> np.ndarray:
    """ΔW in float64 ``[rows, cols]`` (as @ssh-peft/adapter's ``deltaWeight64``; round once to
    float32 for its ``deltaWeight``)."""
    terms = spectral_terms(rows, cols, indices, variant)
    coef = torch.as_tensor(np.asarray(coefficients, dtype=np.float64))
    values = term_values(coef, torch.from_numpy(terms.source), torch.from_numpy(terms.weight))
    scale = alpha * normalization_factor(rows, cols, normalization)
    dw = dense_delta(torch.from_numpy(terms.u), torch.from_numpy(terms.v), values, rows, cols, scale, dtype=torch.float64)
    return dw.numpy()
