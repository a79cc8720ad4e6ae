"""ssh_peft_torch — SSH (Sparse Spectrum Adaptation via the Discrete Hartley Transform) for PyTorch,
on the same adapter file as the ssh-peft JavaScript packages. Depends on torch and numpy only.

Example::

    from ssh_peft_torch import apply_ssh, save_adapter
    handle = apply_ssh(model, "plan.json", alpha=300.0)     # plan from `ssh-peft select --layout torch`
    opt = torch.optim.Adam(handle.parameters(), lr=1e-2)
    ...                                                     # train as usual (DDP/FSDP wrap the model)
    save_adapter(handle, "adapter.safetensors")            # serve with `ssh-peft merge` / hot-swap
"""
from .adapter_file import Adapter, AdapterLayer, decode_adapter, encode_adapter, read_adapter_file, write_adapter_file
from .api import SshHandle, apply_ssh, load_adapter, merge, save_adapter, ssh_layers, to_adapter, unmerge
from .errors import AdapterFormatError, AdapterStateError, LayerMismatchError, PlanFormatError, SshTorchError
from .fingerprint import fingerprint_linear_weight, fingerprint_matrix
from .layer import SshLinear
from .safetensors_io import save_safetensors
from .spectral import delta_weight64, dht_last

__all__ = [
    "Adapter", "AdapterLayer", "AdapterFormatError", "AdapterStateError", "LayerMismatchError", "PlanFormatError",
    "SshHandle", "SshLinear", "SshTorchError", "apply_ssh", "decode_adapter", "delta_weight64", "dht_last",
    "encode_adapter", "fingerprint_linear_weight", "fingerprint_matrix", "load_adapter", "merge",
    "read_adapter_file", "save_adapter", "save_safetensors", "ssh_layers", "to_adapter", "unmerge", "write_adapter_file",
]
