"""The ssh-peft adapter file (docs/adapter-format.md): encode and decode, format versions 1 and 2.

Version 2 adds ``ssh_peft.digest`` = ``sha256:<hex>`` over the metadata values and the tensors
(see :func:`adapter_digest`); this module writes version 2 and reads both. An adapter in memory
is an :class:`Adapter`: ``config`` (variant, normalization, init, initStd, seed, selection,
metadata) and ``layers`` (name, rows = d_in, cols = d_out, alpha, fingerprint, indices,
coefficients).
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass, field

import numpy as np

from .errors import AdapterFormatError
from .jsjson import dumps, dumps_pretty
from .safetensors_io import decode_safetensors, encode_safetensors, write_file_atomic

PEFT_CONFIG_FILE = "adapter_config.json"
PEFT_WEIGHTS_FILE = "adapter_model.safetensors"

FORMAT = "ssh-peft-adapter"
WRITE_VERSION = 2
READ_VERSIONS = ("1", "2")
META_FORMAT = "ssh_peft.format"
META_VERSION = "ssh_peft.version"
META_CONFIG = "ssh_peft.config"
META_METADATA = "ssh_peft.metadata"
META_LAYERS = "ssh_peft.layers"
META_DIGEST = "ssh_peft.digest"
DIGESTED_KEYS = (META_FORMAT, META_VERSION, META_CONFIG, META_METADATA, META_LAYERS)
VARIANTS = ("separable", "true")
NORMALIZATIONS = ("backward", "ortho", "forward")
INITS = ("zeros", "normal")
CONFIG_FIELDS = ("variant", "normalization", "init", "initStd", "seed", "selection")
LAYER_FIELDS = ("name", "rows", "cols", "alpha", "fingerprint")
MAX_POSITIONS = 2**32
MAX_SAFE_INTEGER = 2**53 - 1
MAX_JSON_DEPTH = 32


@dataclass
class AdapterLayer:
    """One adapted layer: ``indices`` flat positions ``u·cols + v`` (uint32), ``coefficients`` float32."""

    name: str
    rows: int
    cols: int
    alpha: float
    fingerprint: str
    indices: np.ndarray
    coefficients: np.ndarray


@dataclass
class Adapter:
    """An adapter in memory (the content of one file)."""

    config: dict
    layers: list = field(default_factory=list)
    version: int = WRITE_VERSION


def adapter_digest(metadata: dict, tensors) -> str:
    """``sha256:<hex>`` of the version-2 digest message. ``tensors``: ``(name, dtype, shape, bytes)``
    in layer order, indices before coefficients. Each field is its byte length (u64 LE) then its bytes."""
    h = hashlib.sha256()

    def put(b: bytes) -> None:
        h.update(struct.pack("<Q", len(b)))
        h.update(b)

    for key in DIGESTED_KEYS:
        put(key.encode("utf-8"))
        put(metadata[key].encode("utf-8"))
    for name, dtype, shape, data in tensors:
        put(name.encode("utf-8"))
        put(dtype.encode("ascii"))
        put(b"".join(struct.pack("<Q", int(d)) for d in shape))
        put(bytes(data))
    return "sha256:" + h.hexdigest()


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _depth(v, level=0) -> int:
    if isinstance(v, dict):
        return max([level + 1] + [_depth(x, level + 1) for x in v.values()])
    if isinstance(v, list):
        return max([level + 1] + [_depth(x, level + 1) for x in v])
    return level


def config_problem(config: dict):
    """The first problem of an adapter config (as the TypeScript validator defines it), or None."""
    if config.get("variant") not in VARIANTS:
        return f"variant {config.get('variant')!r} is not one of {', '.join(VARIANTS)}"
    if config.get("normalization") not in NORMALIZATIONS:
        return f"normalization {config.get('normalization')!r} is not one of {', '.join(NORMALIZATIONS)}"
    if config.get("init") not in INITS:
        return f"init {config.get('init')!r} is not one of {', '.join(INITS)}"
    std = config.get("initStd")
    if not _is_number(std) or std < 0:
        return f"initStd {std!r} is not a finite number ≥ 0"
    seed = config.get("seed")
    if not (_is_int(seed) or (isinstance(seed, float) and seed.is_integer())) or abs(seed) > MAX_SAFE_INTEGER:
        return f"seed {seed!r} is not a safe integer"
    if not isinstance(config.get("selection"), dict):
        return "selection is not a JSON object"
    if _depth(config["selection"]) > MAX_JSON_DEPTH:
        return f"selection is nested deeper than {MAX_JSON_DEPTH} levels"
    md = config.get("metadata", {})
    if not isinstance(md, dict) or not all(isinstance(v, str) for v in md.values()):
        return "metadata is not an object of strings"
    return None


def _index_problem(indices: np.ndarray, rows: int, cols: int):
    size = rows * cols
    bad = np.nonzero((indices < 0) | (indices >= size))[0]
    if bad.size:
        k = int(bad[0])
        return k, f"{int(indices[k])} is not a position in [0, rows·cols = {rows}·{cols} = {size})"
    order = np.argsort(indices, kind="stable")
    s = indices[order]
    dup = np.nonzero(s[1:] == s[:-1])[0]
    if dup.size:
        # report the later element of the first repeated value, like the TypeScript reader
        value = s[dup[0]]
        ks = np.nonzero(indices == value)[0]
        return int(ks[1]), f"{int(value)} is duplicated (first at element {int(ks[0])})"
    return None


def encode_adapter(adapter: Adapter) -> bytes:
    """Bytes of the adapter file, format version 2; byte-identical to what @ssh-peft/adapter writes
    for the same adapter. Validates everything first (``ValueError`` naming the value)."""
    config = adapter.config
    problem = config_problem(config)
    if problem:
        raise ValueError(f"adapter config: {problem}")
    names = set()
    tensors = []
    table = []
    for i, layer in enumerate(adapter.layers):
        where = f"layers[{i}] ({layer.name!r})"
        if not isinstance(layer.name, str) or not layer.name or layer.name == "__metadata__":
            raise ValueError(f"{where}: name must be a non-empty string other than __metadata__")
        if layer.name in names:
            raise ValueError(f"{where}: name repeats an earlier layer")
        names.add(layer.name)
        if not (_is_int(layer.rows) and _is_int(layer.cols) and layer.rows >= 1 and layer.cols >= 1) or layer.rows * layer.cols > MAX_POSITIONS:
            raise ValueError(f"{where}: rows {layer.rows!r} / cols {layer.cols!r} must be positive integers with rows·cols ≤ 2^32")
        if not _is_number(layer.alpha):
            raise ValueError(f"{where}: alpha {layer.alpha!r} is not a finite number")
        if not isinstance(layer.fingerprint, str) or not layer.fingerprint:
            raise ValueError(f"{where}: fingerprint must be a non-empty string")
        idx = np.asarray(layer.indices).astype(np.int64).reshape(-1)
        coef = np.asarray(layer.coefficients, dtype=np.float32).reshape(-1)
        if idx.shape != coef.shape:
            raise ValueError(f"{where}: {coef.size} coefficients for {idx.size} indices")
        p = _index_problem(idx, layer.rows, layer.cols)
        if p:
            raise ValueError(f"{where}.indices[{p[0]}]: {p[1]}")
        bad = np.nonzero(~np.isfinite(coef))[0]
        if bad.size:
            raise ValueError(f"{where}.coefficients[{int(bad[0])}]: {coef[bad[0]]} is not finite")
        n = int(idx.size)
        tensors.append((layer.name + ".indices", "I64", [n], idx.astype("<i8").tobytes()))
        tensors.append((layer.name + ".coefficients", "F32", [n], coef.astype("<f4").tobytes()))
        table.append({"name": layer.name, "rows": layer.rows, "cols": layer.cols, "alpha": layer.alpha, "fingerprint": layer.fingerprint})
    metadata = {
        META_FORMAT: FORMAT,
        META_VERSION: str(WRITE_VERSION),
        META_CONFIG: dumps({k: config[k] for k in CONFIG_FIELDS}),
        META_METADATA: dumps(config.get("metadata", {})),
        META_LAYERS: dumps(table),
    }
    metadata[META_DIGEST] = adapter_digest(metadata, tensors)
    return encode_safetensors(tensors, metadata)


def decode_adapter(data: bytes, file=None) -> Adapter:
    """Parses and validates adapter bytes (format version 1 or 2; a version-2 digest is verified).
    Raises :class:`AdapterFormatError` naming the file, tensor or key and the byte offset."""
    st = decode_safetensors(data, file=file)
    meta = st.metadata

    def fail(problem, key):
        raise AdapterFormatError(problem, file=file, key=key, offset=8)

    fmt = meta.get(META_FORMAT)
    if fmt != FORMAT:
        fail("missing; not an ssh-peft adapter" if fmt is None else f"format {fmt!r} is not {FORMAT!r}", META_FORMAT)
    version = meta.get(META_VERSION)
    if version not in READ_VERSIONS:
        fail(f"unknown format version {version!r} (this reader supports {', '.join(READ_VERSIONS)})", META_VERSION)

    def parse(key):
        if key not in meta:
            fail("missing", key)
        try:
            return json.loads(meta[key])
        except json.JSONDecodeError as e:
            fail(f"value is not valid JSON ({e})", key)

    raw_config = parse(META_CONFIG)
    if not isinstance(raw_config, dict) or set(raw_config) != set(CONFIG_FIELDS):
        fail(f"expected a JSON object with exactly the fields {', '.join(CONFIG_FIELDS)}", META_CONFIG)
    metadata = parse(META_METADATA)
    config = {k: raw_config[k] for k in CONFIG_FIELDS}
    config["metadata"] = metadata
    problem = config_problem(config)
    if problem:
        fail(problem, META_METADATA if problem.startswith("metadata") else META_CONFIG)

    table = parse(META_LAYERS)
    if not isinstance(table, list):
        fail("expected a JSON array of layers", META_LAYERS)
    seen = {}
    layers = []
    digest_tensors = []
    used = set()
    for i, entry in enumerate(table):
        if not isinstance(entry, dict) or set(entry) != set(LAYER_FIELDS):
            fail(f"layers[{i}]: expected an object with exactly the fields {', '.join(LAYER_FIELDS)}", META_LAYERS)
        name, rows, cols, alpha, fp = (entry[k] for k in LAYER_FIELDS)
        if not isinstance(name, str) or not name or name == "__metadata__":
            fail(f"layers[{i}]: name {name!r} is not a valid layer name", META_LAYERS)
        if name in seen:
            fail(f"layers[{i}]: name {name!r} repeats layers[{seen[name]}]", META_LAYERS)
        seen[name] = i
        if not (_is_int(rows) and _is_int(cols) and rows >= 1 and cols >= 1) or rows * cols > MAX_POSITIONS:
            fail(f"layers[{i}]: rows {rows!r} / cols {cols!r} are not positive integers with rows·cols ≤ 2^32", META_LAYERS)
        if not _is_number(alpha):
            fail(f"layers[{i}]: alpha {alpha!r} is not a finite number", META_LAYERS)
        if not isinstance(fp, str) or not fp:
            fail(f"layers[{i}]: fingerprint {fp!r} is not a non-empty string", META_LAYERS)
        iname, cname = name + ".indices", name + ".coefficients"
        if iname not in st.tensors:
            raise AdapterFormatError(f"tensor missing for layer {name!r}", file=file, tensor=iname, offset=8)
        if cname not in st.tensors:
            raise AdapterFormatError(f"missing coefficients for the index tensor {iname!r}", file=file, tensor=cname, offset=8)
        used.update((iname, cname))
        it, ct = st.tensors[iname], st.tensors[cname]
        if it["dtype"] not in ("I64", "U32") or len(it["shape"]) != 1:
            raise AdapterFormatError(f"dtype {it['dtype']} shape {it['shape']}, expected I64 (or U32) [n]", file=file, tensor=iname, offset=it["start"])
        idx = st.array(iname).astype(np.int64)
        p = _index_problem(idx, rows, cols)
        if p:
            raise AdapterFormatError(f"element {p[0]} = {p[1]}", file=file, tensor=iname, offset=it["start"] + p[0] * (8 if it["dtype"] == "I64" else 4))
        n = int(idx.size)
        if ct["dtype"] != "F32" or ct["shape"] != [n]:
            raise AdapterFormatError(f"dtype {ct['dtype']} shape {ct['shape']}, expected F32 [{n}]", file=file, tensor=cname, offset=ct["start"])
        coef = st.array(cname).astype(np.float32)
        bad = np.nonzero(~np.isfinite(coef))[0]
        if bad.size:
            k = int(bad[0])
            raise AdapterFormatError(f"element {k} = {coef[k]} is not finite", file=file, tensor=cname, offset=ct["start"] + 4 * k)
        layers.append(AdapterLayer(name, rows, cols, alpha, fp, idx.astype(np.uint32), coef.copy()))
        digest_tensors.append((iname, it["dtype"], it["shape"], it["bytes"]))
        digest_tensors.append((cname, ct["dtype"], ct["shape"], ct["bytes"]))
    for name, info in st.tensors.items():
        if name not in used:
            raise AdapterFormatError(f"tensor belongs to no layer listed in {META_LAYERS}", file=file, tensor=name, offset=info["start"])
    if version == "2":
        digest = meta.get(META_DIGEST)
        if digest is None:
            fail("missing (required by format version 2)", META_DIGEST)
        if not (isinstance(digest, str) and len(digest) == 71 and digest.startswith("sha256:")
                and all(c in "0123456789abcdef" for c in digest[7:])):
            fail(f"{digest!r} is not sha256: followed by 64 lowercase hex digits", META_DIGEST)
        actual = adapter_digest(meta, digest_tensors)
        if actual != digest:
            fail(f"digest mismatch: the file says {digest}, its content hashes to {actual} (the file was modified or damaged)", META_DIGEST)
    return Adapter(config=config, layers=layers, version=int(version))


def build_peft_config(adapter: Adapter) -> dict:
    """The ``adapter_config.json`` of the PEFT directory layout (docs/adapter-format.md §7), as
    @ssh-peft/adapter writes it; the safetensors file stays authoritative."""
    c = adapter.config
    layers = adapter.layers
    return {
        "peft_type": "SSH",
        "format": FORMAT,
        "format_version": adapter.version,
        "target_modules": [l.name for l in layers],
        "variant": c["variant"],
        "normalization": c["normalization"],
        "init_weights": c["init"],
        "init_std": c["initStd"],
        "seed": c["seed"],
        "selection": c["selection"],
        "alpha_pattern": {l.name: l.alpha for l in layers},
        "n_frequency_pattern": {l.name: int(np.asarray(l.indices).size) for l in layers},
        "shape_pattern": {l.name: [l.rows, l.cols] for l in layers},
        "fingerprint_pattern": {l.name: l.fingerprint for l in layers},
        "metadata": c.get("metadata", {}),
    }


def _canonical(value) -> str:
    """JSON text with sorted keys and JavaScript number formatting (so 300 and 300.0 agree)."""
    def order(v):
        if isinstance(v, dict):
            return {k: order(v[k]) for k in sorted(v)}
        if isinstance(v, list):
            return [order(x) for x in v]
        return v
    return dumps(order(value))


def check_peft_config(text: str, adapter: Adapter, file) -> None:
    """Refuses an ``adapter_config.json`` whose keys disagree with the safetensors file
    (extra keys such as ``base_model_name_or_path`` are allowed)."""
    try:
        actual = json.loads(text)
    except json.JSONDecodeError as e:
        raise AdapterFormatError(f"not valid JSON ({e})", file=file) from None
    if not isinstance(actual, dict):
        raise AdapterFormatError("not a JSON object", file=file)
    for key, value in build_peft_config(adapter).items():
        if key not in actual:
            raise AdapterFormatError("missing", file=file, key=key)
        if _canonical(actual[key]) != _canonical(value):
            raise AdapterFormatError(f"{_canonical(actual[key])[:80]} disagrees with {PEFT_WEIGHTS_FILE} ({_canonical(value)[:80]})", file=file, key=key)


def read_adapter_file(path) -> Adapter:
    """Decodes an adapter ``.safetensors`` file, or a PEFT directory (``adapter_model.safetensors``,
    checked against its ``adapter_config.json``); files are opened read-only."""
    path = os.fspath(path)
    directory = os.path.isdir(path)
    weights = os.path.join(path, PEFT_WEIGHTS_FILE) if directory else path
    with open(weights, "rb") as f:
        data = f.read()
    adapter = decode_adapter(data, file=weights)
    if directory:
        config_file = os.path.join(path, PEFT_CONFIG_FILE)
        if os.path.exists(config_file):
            with open(config_file, encoding="utf-8") as f:
                check_peft_config(f.read(), adapter, config_file)
    return adapter


def write_adapter_file(adapter: Adapter, path, overwrite: bool = False) -> None:
    """Writes the adapter atomically: to ``path`` if it ends in ``.safetensors``, else as a PEFT
    directory (``adapter_model.safetensors`` + ``adapter_config.json``; a new directory is
    assembled under a temporary name and renamed into place as a whole)."""
    path = os.fspath(path)
    data = encode_adapter(adapter)
    if path.endswith(".safetensors"):
        write_file_atomic(path, data, overwrite=overwrite)
        return
    config_text = dumps_pretty(build_peft_config(adapter)) + "\n"
    if not os.path.exists(path):
        parent = os.path.dirname(os.path.abspath(path))
        tmp = tempfile.mkdtemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=parent)
        try:
            write_file_atomic(os.path.join(tmp, PEFT_WEIGHTS_FILE), data)
            write_file_atomic(os.path.join(tmp, PEFT_CONFIG_FILE), config_text.encode("utf-8"))
            os.rename(tmp, path)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return
    if not os.path.isdir(path):
        raise FileExistsError(f"{path} exists and is not a directory (use a path ending in .safetensors for a single file)")
    # weights first: a reader that sees the new config always finds matching weights or fails loudly
    write_file_atomic(os.path.join(path, PEFT_WEIGHTS_FILE), data, overwrite=overwrite)
    write_file_atomic(os.path.join(path, PEFT_CONFIG_FILE), config_text.encode("utf-8"), overwrite=overwrite)
