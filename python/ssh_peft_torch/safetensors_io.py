"""A small safetensors reader/writer (numpy only) and the atomic file write used for every output.

Writes follow docs/adapter-format.md §2 exactly as @ssh-peft/adapter does: the JSON header without
whitespace, ``__metadata__`` first, tensors in the order given with contiguous ``data_offsets``,
padded with spaces so the data starts at a multiple of 8.
"""
from __future__ import annotations

import json
import os
import struct
import tempfile

import numpy as np

from .errors import AdapterFormatError
from .jsjson import dumps

MAX_HEADER_BYTES = 100_000_000

#: safetensors dtype → little-endian numpy dtype (BF16 is read as raw uint16 words).
NUMPY_DTYPES = {
    "F64": "<f8", "F32": "<f4", "F16": "<f2", "BF16": "<u2",
    "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1",
    "U64": "<u8", "U32": "<u4", "U16": "<u2", "U8": "u1", "BOOL": "u1",
}
DTYPE_BYTES = {k: np.dtype(v).itemsize for k, v in NUMPY_DTYPES.items()}


def encode_safetensors(tensors, metadata=None) -> bytes:
    """Bytes of a safetensors file. ``tensors``: list of ``(name, dtype, shape, data_bytes)``."""
    header = {}
    if metadata:
        header["__metadata__"] = dict(metadata)
    offset = 0
    for name, dtype, shape, data in tensors:
        if name == "__metadata__" or name in header:
            raise ValueError(f"tensor name {name!r} is reserved or repeated")
        size = DTYPE_BYTES[dtype] * int(np.prod(shape, dtype=np.int64))
        if len(data) != size:
            raise ValueError(f"tensor {name!r}: {len(data)} bytes ≠ {dtype} × {list(shape)} = {size}")
        header[name] = {"dtype": dtype, "shape": [int(d) for d in shape], "data_offsets": [offset, offset + size]}
        offset += size
    text = dumps(header).encode("utf-8")
    padded = -(-(8 + len(text)) // 8) * 8 - 8
    parts = [struct.pack("<Q", padded), text, b" " * (padded - len(text))]
    parts.extend(bytes(data) for _, _, _, data in tensors)
    return b"".join(parts)


class SafetensorsFile:
    """A decoded safetensors file: ``metadata`` (str → str) and ``tensors`` (name → info dict with
    ``dtype``, ``shape``, ``start``/``end`` (absolute byte offsets) and ``bytes``), in header order."""

    def __init__(self, metadata, tensors):
        self.metadata = metadata
        self.tensors = tensors

    def array(self, name):
        info = self.tensors[name]
        return np.frombuffer(info["bytes"], dtype=NUMPY_DTYPES[info["dtype"]]).reshape(info["shape"])


def decode_safetensors(data: bytes, file=None) -> SafetensorsFile:
    """Parses and validates the container (§2 and rules 1–4 of §6 of docs/adapter-format.md)."""
    if len(data) < 8:
        raise AdapterFormatError(f"{len(data)} bytes, fewer than the 8-byte header length", file=file, offset=0)
    (n,) = struct.unpack("<Q", data[:8])
    if n > MAX_HEADER_BYTES or 8 + n > len(data):
        raise AdapterFormatError(f"header length {n} exceeds the file ({len(data)} bytes) or the cap", file=file, offset=0)
    try:
        header = json.loads(data[8:8 + n].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise AdapterFormatError(f"header is not UTF-8 JSON ({e})", file=file, offset=8) from None
    if not isinstance(header, dict):
        raise AdapterFormatError("header is not a JSON object", file=file, offset=8)
    metadata = header.pop("__metadata__", {})
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise AdapterFormatError("__metadata__ must map strings to strings", file=file, offset=8)
    base = 8 + n
    tensors = {}
    ranges = []
    for name, info in header.items():
        if not isinstance(info, dict) or set(info) != {"dtype", "shape", "data_offsets"}:
            raise AdapterFormatError("entry must have exactly dtype, shape, data_offsets", file=file, tensor=name, offset=8)
        dtype, shape, offsets = info["dtype"], info["shape"], info["data_offsets"]
        if dtype not in NUMPY_DTYPES:
            raise AdapterFormatError(f"unknown dtype {dtype!r}", file=file, tensor=name, offset=8)
        if not isinstance(shape, list) or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape):
            raise AdapterFormatError(f"shape {shape!r} is not a list of non-negative integers", file=file, tensor=name, offset=8)
        if (not isinstance(offsets, list) or len(offsets) != 2
                or not all(isinstance(o, int) and not isinstance(o, bool) and o >= 0 for o in offsets) or offsets[1] < offsets[0]):
            raise AdapterFormatError(f"data_offsets {offsets!r} invalid", file=file, tensor=name, offset=8)
        size = DTYPE_BYTES[dtype] * int(np.prod(shape, dtype=np.int64))
        if offsets[1] - offsets[0] != size:
            raise AdapterFormatError(f"data_offsets span {offsets[1] - offsets[0]} bytes ≠ {dtype} × {shape} = {size}",
                                     file=file, tensor=name, offset=base + offsets[0])
        ranges.append((offsets[0], offsets[1], name))
        tensors[name] = {"dtype": dtype, "shape": shape, "start": base + offsets[0], "end": base + offsets[1]}
    at = 0
    for start, end, name in sorted(ranges):
        if start != at:
            raise AdapterFormatError(f"data_offsets start at {start}, expected {at} (gap or overlap)", file=file, tensor=name, offset=base + start)
        at = end
    if base + at != len(data):
        raise AdapterFormatError(f"tensor data ends at byte {base + at}, file has {len(data)} (truncated or trailing bytes)", file=file, offset=base + at)
    view = memoryview(data)
    for info in tensors.values():
        info["bytes"] = view[info["start"]:info["end"]]
    return SafetensorsFile(metadata, tensors)


def write_file_atomic(path, data: bytes, overwrite: bool = False) -> None:
    """Writes ``data`` to a temporary file next to ``path``, fsyncs it and moves it into place;
    without ``overwrite`` an existing ``path`` is an error (``FileExistsError``). On failure the
    temporary file is removed and ``path`` is untouched."""
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    if not overwrite and os.path.lexists(path):
        raise FileExistsError(f"{path} exists (pass overwrite=True to replace it)")
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails atomically if the target appeared meanwhile
            os.unlink(tmp)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def save_safetensors(tensors, path, metadata=None, overwrite: bool = False) -> None:
    """Writes a ``{name: torch.Tensor | np.ndarray}`` mapping as a safetensors file (e.g. a model
    checkpoint for ``ssh-peft select --layout torch``). bfloat16 tensors are stored as ``BF16``.

    Example: ``save_safetensors(model.state_dict(), 'model.safetensors')``.
    """
    import torch  # local: the reader side needs numpy only

    entries = []
    for name, value in tensors.items():
        if isinstance(value, torch.Tensor):
            t = value.detach().to("cpu").contiguous()
            if t.dtype == torch.bfloat16:
                entries.append((name, "BF16", list(t.shape), t.view(torch.int16).numpy().astype("<i2").tobytes()))
                continue
            value = t.numpy()
        arr = np.ascontiguousarray(value)
        dtype = {np.dtype("float64"): "F64", np.dtype("float32"): "F32", np.dtype("float16"): "F16",
                 np.dtype("int64"): "I64", np.dtype("int32"): "I32", np.dtype("int16"): "I16", np.dtype("int8"): "I8",
                 np.dtype("uint8"): "U8", np.dtype("bool"): "BOOL"}.get(arr.dtype)
        if dtype is None:
            raise ValueError(f"tensor {name!r}: dtype {arr.dtype} has no safetensors code here")
        entries.append((name, dtype, list(arr.shape), arr.astype(NUMPY_DTYPES[dtype], copy=False).tobytes()))
    write_file_atomic(path, encode_safetensors(entries, metadata), overwrite=overwrite)
