"""The ``ssh-fp1`` base-weight fingerprint of @ssh-peft/selection (docs/adapter-format.md §5).

The hash is a sequential recurrence over every float32 word, so it cannot be vectorised; this
is a tight pure-Python loop (python/bench/fingerprint.py compares it with Node's). ``apply_ssh(..., verify='shape')``
skips it for very large layers where that cost matters.
"""
from __future__ import annotations

import numpy as np
import torch

PREFIX = "ssh-fp1"
_M = 0xFFFFFFFF


def _fmix32(h: int) -> int:
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _M
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _M
    h ^= h >> 16
    return h


def fingerprint_words(words: np.ndarray, rows: int, cols: int) -> str:
    """Fingerprint of the float32 bit patterns ``words`` (uint32, row-major ``[rows, cols]``)."""
    n = int(words.size)
    if rows < 1 or cols < 1 or rows * cols != n:
        raise ValueError(f"fingerprint: rows·cols ({rows}·{cols}) ≠ number of weights ({n})")
    a = 0x9747B28C
    b = 0x5BD1E995
    M = _M
    for w in words.reshape(-1).tolist():
        ka = (w * 0xCC9E2D51) & M
        ka = ((ka << 15) | (ka >> 17)) & M
        a ^= (ka * 0x1B873593) & M
        a = ((a << 13) | (a >> 19)) & M
        a = (a * 5 + 0xE6546B64) & M
        kb = (w * 0x85EBCA6B) & M
        kb = ((kb << 17) | (kb >> 15)) & M
        b ^= (kb * 0xC2B2AE35) & M
        b = ((b << 11) | (b >> 21)) & M
        b = (b * 9 + 0x52DCE729) & M
    count_lo = n & M
    count_hi = (n >> 32) & M
    fa = _fmix32(a ^ count_lo ^ ((count_hi * 0x27D4EB2F) & M))
    fb = _fmix32(b ^ ((count_lo * 0x9E3779B9) & M) ^ rows)
    return f"{PREFIX}:{rows}x{cols}:{fa:08x}{fb:08x}"


def fingerprint_matrix(weights) -> str:
    """``ssh-fp1`` of a 2-D array/tensor in the orientation given (rounded to float32 first).

    Example: ``fingerprint_matrix(np.ones((2, 3), np.float32))`` → ``'ssh-fp1:2x3:<16 hex>'``.
    """
    if isinstance(weights, torch.Tensor):
        arr = weights.detach().to(device="cpu", dtype=torch.float32).contiguous().numpy()
    else:
        arr = np.asarray(weights, dtype=np.float32)
    if arr.ndim != 2:
        raise ValueError(f"fingerprint: expected a 2-D matrix, got shape {list(arr.shape)}")
    rows, cols = arr.shape
    words = np.ascontiguousarray(arr, dtype="<f4").view("<u4")
    return fingerprint_words(words, int(rows), int(cols))


def fingerprint_linear_weight(weight: torch.Tensor) -> str:
    """Fingerprint of an ``nn.Linear`` weight (stored ``[out, in]``) in the adapter's
    ``[d_in, d_out]`` orientation, i.e. of ``weight.T``."""
    return fingerprint_matrix(weight.detach().t())
