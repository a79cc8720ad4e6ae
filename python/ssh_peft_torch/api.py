"""apply_ssh / save_adapter / load_adapter / merge / unmerge."""
from __future__ import annotations

import torch
from torch import nn

from .adapter_file import Adapter, AdapterLayer, read_adapter_file, write_adapter_file
from .errors import AdapterStateError, LayerMismatchError
from .fingerprint import fingerprint_linear_weight
from .layer import SshLinear
from .plan import read_plan

VERIFY_MODES = ("fingerprint", "shape")


def _unwrap(model: nn.Module) -> nn.Module:
    """The user's model inside DistributedDataParallel / DataParallel wrappers."""
    while isinstance(model, (nn.parallel.DistributedDataParallel, nn.DataParallel)):
        model = model.module
    return model


def _modules_by_name(model: nn.Module):
    return dict(_unwrap(model).named_modules())


def _near(name: str, names) -> str:
    last = name.split(".")[-1]
    near = [n for n in names if n and (n.split(".")[-1] == last or last in n)][:5]
    return f" (similar: {', '.join(near)})" if near else ""


def _check_base(layer: str, module, rows: int, cols: int, fingerprint: str, verify: str, modules) -> None:
    if module is None:
        raise LayerMismatchError(layer, "no module of the model has this qualified name" + _near(layer, modules))
    if not isinstance(module, (nn.Linear, SshLinear)):
        raise LayerMismatchError(layer, f"is a {type(module).__name__}, expected torch.nn.Linear")
    if (module.in_features, module.out_features) != (rows, cols):
        raise LayerMismatchError(layer, f"nn.Linear({module.in_features}, {module.out_features}) has [d_in, d_out] = "
                                        f"[{module.in_features}, {module.out_features}], the plan/adapter says [{rows}, {cols}]")
    if verify == "fingerprint":
        if isinstance(module, SshLinear) and module.merged:
            raise AdapterStateError(f"layer {layer!r} is merged; unmerge before loading another adapter")
        actual = fingerprint_linear_weight(module.weight)
        if actual != fingerprint:
            raise LayerMismatchError(layer, f"base weight fingerprint {actual} ≠ {fingerprint} (another base model, or weights changed)")


class SshHandle:
    """What :func:`apply_ssh` and :func:`load_adapter` return: the model, its ``SshLinear`` layers
    by plan name, and the adapter-wide config (variant, normalization, init, initStd, seed,
    selection options, metadata)."""

    def __init__(self, model: nn.Module, layers: dict, config: dict):
        self.model = model
        self.layers = layers
        self.config = config

    def parameters(self):
        """The trainable coefficients, one tensor per layer (give these to the optimizer)."""
        return [layer.ssh_coefficients for layer in self.layers.values()]

    def num_coefficients(self) -> int:
        return sum(int(p.numel()) for p in self.parameters())


def apply_ssh(model: nn.Module, plan, alpha: float = 300.0, init: str = "zeros", *, init_std: float = 1.0, seed=None,
              verify: str = "fingerprint", route: str = "auto", trainable=(), metadata=None) -> SshHandle:
    """Wraps every ``nn.Linear`` the plan names (qualified module names, e.g. ``encoder.0.query``)
    in an :class:`SshLinear` and freezes every other parameter except those whose qualified name
    starts with an entry of ``trainable`` (e.g. a new head).

    ``plan``: path, JSON text or dict of an ``ssh-peft select`` plan (``--layout torch`` for torch
    checkpoints); positions and fingerprints are in the adapter's ``[d_in, d_out]`` orientation, i.e.
    of ``weight.T``. ``init``: 'zeros' (the adapted model starts exactly at the base) or 'normal'
    (N(0, init_std²) from ``torch.Generator().manual_seed(seed)``; seed defaults to the plan's).
    ``verify``: 'fingerprint' (default; a pure-Python loop, 70–90× slower than Node's) or 'shape'.
    A plan name that matches no module, a module that is not ``nn.Linear``, another shape or another
    fingerprint raises :class:`LayerMismatchError` naming the layer, before the model is changed.

    Example::

        handle = apply_ssh(model, "plan.json", alpha=300.0)
        opt = torch.optim.Adam(handle.parameters(), lr=1e-2)
    """
    if init not in ("zeros", "normal"):
        raise ValueError(f"init {init!r} is not one of zeros, normal")
    if verify not in VERIFY_MODES:
        raise ValueError(f"verify {verify!r} is not one of {', '.join(VERIFY_MODES)}")
    parsed = read_plan(plan)
    options = parsed["options"]
    variant = options.get("variant", "separable")
    normalization = options.get("normalization", "backward")
    seed = int(options.get("seed", 0) if seed is None else seed)
    modules = _modules_by_name(model)
    for layer in parsed["layers"]:
        module = modules.get(layer["name"])
        if isinstance(module, SshLinear):
            raise AdapterStateError(f"layer {layer['name']!r} is already adapted (use load_adapter to replace its adapter)")
        _check_base(layer["name"], module, layer["rows"], layer["cols"], layer["fingerprint"], verify, modules)
    generator = torch.Generator().manual_seed(seed)
    config = {"variant": variant, "normalization": normalization, "init": init,
              "initStd": float(init_std) if init == "normal" else 0, "seed": seed,
              "selection": options, "metadata": dict(metadata or {})}
    for p in _unwrap(model).parameters():
        p.requires_grad_(False)
    layers = {}
    for layer in parsed["layers"]:
        n = int(layer["indices"].size)
        coef = (torch.randn(n, generator=generator) * init_std).numpy() if init == "normal" else None
        wrapped = SshLinear(modules[layer["name"]], layer["name"], layer["indices"], alpha, variant, normalization,
                            layer["fingerprint"], coefficients=coef, route=route)
        wrapped.ssh_config = config
        _replace(model, layer["name"], wrapped)
        layers[layer["name"]] = wrapped
    for name, p in _unwrap(model).named_parameters():
        if any(name == t or name.startswith(t + ".") for t in trainable):
            p.requires_grad_(True)
    return SshHandle(model, layers, config)


def _replace(model: nn.Module, name: str, module: nn.Module) -> None:
    root = _unwrap(model)
    parent_name, _, child = name.rpartition(".")
    parent = root.get_submodule(parent_name) if parent_name else root
    setattr(parent, child, module)


def ssh_layers(model_or_handle) -> dict:
    """The ``SshLinear`` layers of a model (or handle) by their adapter layer name, in model order."""
    if isinstance(model_or_handle, SshHandle):
        return dict(model_or_handle.layers)
    return {m.ssh_name: m for m in _unwrap(model_or_handle).modules() if isinstance(m, SshLinear)}


def to_adapter(model_or_handle) -> Adapter:
    """The adapter held by a model's ``SshLinear`` layers (coefficients copied to float32)."""
    layers = ssh_layers(model_or_handle)
    if not layers:
        raise AdapterStateError("the model has no SshLinear layer (call apply_ssh or load_adapter first)")
    configs = {id(layer.ssh_config) for layer in layers.values()}
    first = next(iter(layers.values()))
    if len(configs) != 1:
        for layer in layers.values():
            if (layer.variant, layer.normalization) != (first.variant, first.normalization):
                raise AdapterStateError(f"layer {layer.ssh_name!r} uses another variant/normalization than {first.ssh_name!r}")
    out = []
    for name, layer in layers.items():
        coef = layer.ssh_coefficients.detach().to("cpu", torch.float32).numpy().copy()
        out.append(AdapterLayer(name, layer.rows, layer.cols, layer.alpha, layer.fingerprint, layer.ssh_indices.copy(), coef))
    return Adapter(config=dict(first.ssh_config), layers=out)


def save_adapter(model_or_handle, path, overwrite: bool = False) -> None:
    """Writes the adapter of ``model_or_handle`` (a model, a DDP-wrapped model or a handle) to a
    ``.safetensors`` file in the ssh-peft adapter format (version 2, with digest), or — for a path
    not ending in ``.safetensors`` — to a PEFT directory (``adapter_model.safetensors`` +
    ``adapter_config.json``), atomically;
    ``@ssh-peft/adapter`` decodes it and ``ssh-peft merge`` applies it to an ONNX export of the base.
    In a distributed job call it on one rank only (e.g. rank 0)."""
    write_adapter_file(to_adapter(model_or_handle), path, overwrite=overwrite)


def load_adapter(model: nn.Module, path, *, verify: str = "fingerprint", route: str = "auto") -> SshHandle:
    """Loads an adapter file (format 1 or 2, e.g. trained in tfjs) into ``model``: every layer name
    must be an ``nn.Linear`` (or an already adapted ``SshLinear``) of the model with the same
    ``[d_in, d_out]`` and base fingerprint; plain layers are wrapped, adapted ones get the new
    positions and coefficients. Parameters are frozen as in :func:`apply_ssh`."""
    if verify not in VERIFY_MODES:
        raise ValueError(f"verify {verify!r} is not one of {', '.join(VERIFY_MODES)}")
    adapter = read_adapter_file(path)
    config = adapter.config
    modules = _modules_by_name(model)
    for layer in adapter.layers:
        _check_base(layer.name, modules.get(layer.name), layer.rows, layer.cols, layer.fingerprint, verify, modules)
    for p in _unwrap(model).parameters():
        p.requires_grad_(False)
    layers = {}
    for layer in adapter.layers:
        module = modules[layer.name]
        if isinstance(module, SshLinear):
            if (module.variant, module.normalization) != (config["variant"], config["normalization"]):
                raise LayerMismatchError(layer.name, f"adapted as {module.variant}/{module.normalization}, the file is {config['variant']}/{config['normalization']}")
            module.replace_positions(layer.indices, layer.coefficients)
            module.alpha = float(layer.alpha)
            module.fingerprint = layer.fingerprint
        else:
            module = SshLinear(module, layer.name, layer.indices, layer.alpha, config["variant"], config["normalization"],
                               layer.fingerprint, coefficients=layer.coefficients, route=route)
            _replace(model, layer.name, module)
        module.ssh_config = config
        module.ssh_coefficients.requires_grad_(True)
        layers[layer.name] = module
    return SshHandle(model, layers, config)


def merge(model_or_handle) -> None:
    """Merges every adapted layer: W = W0 + ΔW (forward then costs nothing extra)."""
    for layer in ssh_layers(model_or_handle).values():
        layer.merge()


def unmerge(model_or_handle) -> None:
    """Undoes :func:`merge`: W0 = W − ΔW."""
    for layer in ssh_layers(model_or_handle).values():
        layer.unmerge()
