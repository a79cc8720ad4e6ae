"""Typed errors of ssh_peft_torch; every message names the layer, tensor, key or file at fault."""
from __future__ import annotations


class SshTorchError(Exception):
    """Base class of every error raised by ssh_peft_torch."""


class PlanFormatError(SshTorchError, ValueError):
    """A selection plan that is not a valid ``ssh-peft-selection-plan`` (``path`` names the field)."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"plan {path}: {problem}")
        self.path = path


class LayerMismatchError(SshTorchError, ValueError):
    """A plan or adapter layer that does not fit the model: no such module, not an ``nn.Linear``,
    another shape, or another base weight (fingerprint)."""

    def __init__(self, layer: str, problem: str):
        super().__init__(f"layer {layer!r}: {problem}")
        self.layer = layer


class AdapterFormatError(SshTorchError, ValueError):
    """An adapter file that breaks docs/adapter-format.md; names the file, tensor or metadata key and
    the absolute byte offset."""

    def __init__(self, problem: str, *, file=None, tensor=None, key=None, offset=None):
        where = []
        if file is not None:
            where.append(str(file))
        if tensor is not None:
            where.append(f"tensor {tensor!r}")
        if key is not None:
            where.append(f"metadata {key!r}")
        if offset is not None:
            where.append(f"byte {offset}")
        super().__init__(f"{', '.join(where) or 'adapter'}: {problem}")
        self.file, self.tensor, self.key, self.offset = file, tensor, key, offset


class AdapterStateError(SshTorchError, RuntimeError):
    """An operation that the current state forbids (e.g. saving a merged model's coefficients twice,
    loading into a merged layer, non-finite coefficients)."""
