"""Times scipy.fft (pocketfft, one worker) computing the DHT as Re F - Im F.

The clock is time.process_time() (CPU time), as on the TypeScript side: the machine is
shared, and wall time would mostly measure waiting for a core.

Reads a JSON list of cases from stdin: {"kind": "1d", "n": N, "dtype": "float64"} or
{"kind": "2d", "rows": R, "cols": C, "dtype": "float32"}; writes a JSON list of median
milliseconds per call (null where a case fails) to stdout. The separable 2D DHT is the
1D DHT along axis 1 then along axis 0, as in the TypeScript package.
"""
import json
import sys
import time

import numpy as np
import scipy
import scipy.fft as sfft


def dht_axis(x, axis):
    """1D DHT along one axis from a real FFT: H[k] = Re F[k] - Im F[k], H[n-k] = Re F[k] + Im F[k]."""
    n = x.shape[axis]

    def along(s):
        idx = [slice(None)] * x.ndim
        idx[axis] = s
        return tuple(idx)

    f = sfft.rfft(x, axis=axis, workers=1)
    out = np.empty_like(x)
    np.subtract(f.real, f.imag, out=out[along(slice(0, n // 2 + 1))])
    k_max = (n - 1) // 2  # bins 1..k_max mirror to n-1 .. n-k_max
    if k_max > 0:
        head = along(slice(1, k_max + 1))
        np.add(f.real[head], f.imag[head], out=out[along(slice(n - 1, n - k_max - 1, -1))])
    return out


def median_ms(fn, budget_s=1.0, min_batch_s=0.010, min_rounds=7, max_rounds=41):
    fn()
    reps = 1
    while True:
        t0 = time.process_time()
        for _ in range(reps):
            fn()
        dt = time.process_time() - t0
        if dt >= min_batch_s or reps >= 1 << 20:
            break
        reps = max(reps * 2, int(reps * min_batch_s / max(dt, 1e-6)) + 1)
    samples = []
    start = time.process_time()
    for r in range(max_rounds):
        t0 = time.process_time()
        for _ in range(reps):
            fn()
        samples.append((time.process_time() - t0) / reps * 1e3)
        if r + 1 >= min_rounds and time.process_time() - start > budget_s:
            break
    samples.sort()
    return samples[len(samples) // 2]


def self_check():
    """The DHT built from scipy must match the definition, or its timings mean nothing."""
    rng = np.random.default_rng(0)
    for n in (1, 2, 7, 16, 45):
        x = rng.standard_normal(n)
        k = np.arange(n)
        theta = 2 * np.pi * np.outer(k, k) / n
        ref = (np.cos(theta) + np.sin(theta)) @ x
        assert np.allclose(dht_axis(x, 0), ref), n


def main():
    self_check()
    cases = json.load(sys.stdin)
    budget = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    rng = np.random.default_rng(1)
    results = []
    for case in cases:
        dtype = np.dtype(case["dtype"])
        try:
            if case["kind"] == "1d":
                x = rng.standard_normal(case["n"]).astype(dtype)
                results.append(median_ms(lambda: dht_axis(x, 0), budget))
            else:
                x = rng.standard_normal((case["rows"], case["cols"])).astype(dtype)
                results.append(median_ms(lambda: dht_axis(dht_axis(x, 1), 0), budget))
        except Exception as exc:  # report and keep going; the column shows "—"
            print(f"scipy case {case} failed: {exc}", file=sys.stderr)
            results.append(None)
    json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
