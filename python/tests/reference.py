"""Slow, obvious references (numpy float64, explicit cas matrices) the fast routes are tested against."""
import numpy as np


def cas_matrix(n):
    t = 2 * np.pi * np.outer(np.arange(n), np.arange(n)) / n
    return np.cos(t) + np.sin(t)


def reference_delta(rows, cols, indices, coefficients, alpha, variant, normalization):
    """ΔW by docs/adapter-format.md §1: the true variant by its definition as a double sum."""
    s = np.zeros(rows * cols)
    s[np.asarray(indices, dtype=np.int64)] = np.asarray(coefficients, dtype=np.float64)
    s = s.reshape(rows, cols)
    if variant == "separable":
        h = cas_matrix(rows) @ s @ cas_matrix(cols)
    else:
        m = np.arange(rows)[:, None, None, None]
        n = np.arange(cols)[None, :, None, None]
        u = np.arange(rows)[None, None, :, None]
        v = np.arange(cols)[None, None, None, :]
        theta = 2 * np.pi * (u * m / rows + v * n / cols)
        h = np.einsum("mnuv,uv->mn", np.cos(theta) + np.sin(theta), s)
    scale = {"backward": 1 / (rows * cols), "ortho": 1 / np.sqrt(rows * cols), "forward": 1.0}[normalization]
    return alpha * scale * h
