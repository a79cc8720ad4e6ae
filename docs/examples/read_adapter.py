"""Minimal reader for ssh-peft adapter files (docs/adapter-format.md), plain struct + json + numpy.

    python3 docs/examples/read_adapter.py docs/examples/example-adapter.safetensors
"""
import hashlib, json, struct, sys
import numpy as np

def field(b):                                                 # u64 LE byte length, then the bytes
    return struct.pack("<Q", len(b)) + b

def digest(meta, header, buf, layers):                       # ssh_peft.digest of format version 2
    h = hashlib.sha256()
    for k in ["ssh_peft.format", "ssh_peft.version", "ssh_peft.config", "ssh_peft.metadata", "ssh_peft.layers"]:
        h.update(field(k.encode()) + field(meta[k].encode()))
    for name in [l["name"] + s for l in layers for s in (".indices", ".coefficients")]:
        info = header[name]
        start, end = info["data_offsets"]
        shape = b"".join(struct.pack("<Q", d) for d in info["shape"])
        h.update(field(name.encode()) + field(info["dtype"].encode()) + field(shape) + field(buf[start:end]))
    return "sha256:" + h.hexdigest()

def read_adapter(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])                     # header length, u64 little-endian
    header = json.loads(data[8:8 + n].decode("utf-8"))       # trailing spaces are JSON whitespace
    meta = header.pop("__metadata__")
    assert meta["ssh_peft.format"] == "ssh-peft-adapter" and meta["ssh_peft.version"] in ("1", "2")
    buf = data[8 + n:]
    layers = json.loads(meta["ssh_peft.layers"])
    if meta["ssh_peft.version"] == "2":                      # version 1 has no digest
        assert meta["ssh_peft.digest"] == digest(meta, header, buf, layers), f"{path}: contents changed after writing"
    def tensor(name):
        info = header[name]
        start, end = info["data_offsets"]
        dtype = {"I64": "<i8", "U32": "<u4", "F32": "<f4"}[info["dtype"]]
        return np.frombuffer(buf[start:end], dtype=dtype).reshape(info["shape"])
    for layer in layers:
        layer["indices"] = tensor(layer["name"] + ".indices").astype(np.int64)
        layer["coefficients"] = tensor(layer["name"] + ".coefficients")
    return json.loads(meta["ssh_peft.config"]), layers, meta["ssh_peft.version"]

def cas_matrix(n):
    t = 2 * np.pi * np.outer(np.arange(n), np.arange(n)) / n
    return np.cos(t) + np.sin(t)

def delta_weight(config, layer):
    rows, cols = layer["rows"], layer["cols"]
    S = np.zeros(rows * cols)
    S[layer["indices"]] = layer["coefficients"]               # flat position u*cols + v
    H = cas_matrix(rows) @ S.reshape(rows, cols) @ cas_matrix(cols)   # separable 2D DHT
    if config["variant"] == "true":                           # T = ½(H[u,v] + H[-u,v] + H[u,-v] - H[-u,-v])
        neg = lambda a, axis: np.roll(np.flip(a, axis), 1, axis)
        H = 0.5 * (H + neg(H, 0) + neg(H, 1) - neg(neg(H, 0), 1))
    scale = {"backward": 1 / (rows * cols), "ortho": 1 / np.sqrt(rows * cols), "forward": 1.0}[config["normalization"]]
    return layer["alpha"] * scale * H                          # ΔW, shape [d_in, d_out]

if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else "docs/examples/example-adapter.safetensors"
    config, layers, version = read_adapter(path)
    print("config:", config["variant"], config["normalization"], "init =", config["init"], "version =", version,
          "(digest verified)" if version == "2" else "(no digest)")
    expected = None
    if path.endswith(".safetensors"):
        try:
            with open(path[: -len(".safetensors")] + ".expected.json") as f:
                expected = json.load(f)["layers"]
        except FileNotFoundError:
            pass
    for layer in layers:
        dw = delta_weight(config, layer)
        line = f'{layer["name"]}: [{layer["rows"]}, {layer["cols"]}] n={len(layer["indices"])} alpha={layer["alpha"]} |dW|max={np.abs(dw).max():.6f}'
        if expected is not None:
            ref = np.array(expected[layer["name"]]["deltaWeight"]).reshape(dw.shape)
            err = np.abs(dw - ref).max()
            assert err < 1e-9 * (1 + np.abs(ref).max()), f"mismatch with @ssh-peft/adapter: {err}"
            line += f" max|dW - JS| = {err:.2e}"
        print(line)
