#!/usr/bin/env python3
"""Train an SSH adapter with torch.distributed DDP and save it for ssh-peft's ONNX serving path.

One machine, CPU, 2 processes (what the test suite runs, gloo backend, spawned here):

    /usr/bin/python3 python/examples/train_ddp.py --plan plan.json --out adapter.safetensors --processes 2

Without DDP (the single-process reference the test compares against):

    /usr/bin/python3 python/examples/train_ddp.py --plan plan.json --out adapter.safetensors --processes 1

Several GPUs on one node, NCCL, launched by torchrun (one process per GPU):

    torchrun --nproc-per-node 8 python/examples/train_ddp.py --plan plan.json --out adapter.safetensors --backend nccl

Several nodes (run on every node; node 0's address as rendezvous endpoint):

    torchrun --nnodes 4 --node-rank $NODE_RANK --nproc-per-node 8 \\
        --rdzv-backend c10d --rdzv-endpoint $MASTER_ADDR:29500 \\
        python/examples/train_ddp.py --plan plan.json --out adapter.safetensors --backend nccl

What changes between them: the backend (gloo → nccl), the device (each process uses
``cuda:LOCAL_RANK``), who starts the processes (``torch.multiprocessing.spawn`` here, torchrun or a
cluster launcher there, which set RANK/WORLD_SIZE/LOCAL_RANK/MASTER_ADDR/MASTER_PORT and make this
script use ``init_method='env://'``) and the data (each rank must read its own shard, e.g. with
``DistributedSampler``). What does not change: the plan (selected once, in TypeScript), ``apply_ssh``
before wrapping in DDP, the optimizer over ``handle.parameters()`` only, and ``save_adapter`` on
rank 0. The model here is the small synthetic regression network of the tests; put your own model
(loaded from the checkpoint the plan was selected on) in ``build_model``.
"""
from __future__ import annotations

import argparse
import os
import socket
import sys

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from ssh_peft_torch import apply_ssh, save_adapter  # noqa: E402


class Block(nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.query = nn.Linear(d, d)
        self.value = nn.Linear(d, d)
        self.up = nn.Linear(d, hidden)
        self.down = nn.Linear(hidden, d)

    def forward(self, x):
        h = torch.tanh(self.query(x)) * self.value(x)
        return x + self.down(torch.relu(self.up(h)))


class ExampleNet(nn.Module):
    def __init__(self, d=16, hidden=32, classes=4):
        super().__init__()
        self.encoder = nn.Sequential(Block(d, hidden), Block(d, hidden))
        self.head = nn.Linear(d, classes)

    def forward(self, x):
        return self.head(self.encoder(x))


def build_model(seed: int) -> nn.Module:
    """The base model: identical on every rank (same seed ⇒ same weights ⇒ same fingerprints)."""
    g = torch.Generator().manual_seed(seed)
    model = ExampleNet()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.3)
    return model


def global_batches(seed: int, steps: int, batch: int):
    """Deterministic synthetic data: the same global batches on every rank."""
    g = torch.Generator().manual_seed(seed + 1)
    teacher = torch.randn(16, 4, generator=g)
    for _ in range(steps):
        x = torch.randn(batch, 16, generator=g)
        yield x, torch.sin(x @ teacher)


def train(rank: int, world: int, args) -> None:
    distributed = world > 1 or "RANK" in os.environ
    if distributed:
        if "RANK" in os.environ:  # torchrun / cluster launcher
            dist.init_process_group(args.backend, init_method="env://")
            rank, world = dist.get_rank(), dist.get_world_size()
        else:
            dist.init_process_group(args.backend, init_method=f"tcp://127.0.0.1:{args.port}", rank=rank, world_size=world)
    device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', rank))}") if args.backend == "nccl" else torch.device("cpu")
    torch.manual_seed(args.seed)
    model = build_model(args.seed)
    handle = apply_ssh(model, args.plan, alpha=args.alpha)  # before DDP: DDP sees the coefficients as its parameters
    model.to(device)
    if distributed:
        model = nn.parallel.DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
    opt = torch.optim.Adam(handle.parameters(), lr=args.lr)
    shard = args.batch // world
    for x, y in global_batches(args.seed, args.steps, args.batch):
        # Each rank takes its slice of the global batch; DDP averages the gradients, so the update
        # equals the single-process one on the whole batch (up to summation order).
        xs, ys = x[rank * shard:(rank + 1) * shard].to(device), y[rank * shard:(rank + 1) * shard].to(device)
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(xs), ys)
        loss.backward()
        opt.step()
    if rank == 0:
        save_adapter(model, args.out, overwrite=True)
        print(f"rank 0: last loss {float(loss):.6f}; adapter written to {args.out}", flush=True)
    if distributed:
        dist.barrier()
        dist.destroy_process_group()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plan", required=True, help="plan from `ssh-peft select --layout torch`")
    parser.add_argument("--out", required=True, help="adapter .safetensors to write (rank 0)")
    parser.add_argument("--processes", type=int, default=1, help="local processes to spawn (1 = no DDP)")
    parser.add_argument("--backend", default="nccl" if torch.cuda.is_available() else "gloo")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch", type=int, default=64, help="global batch (split over the processes)")
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--alpha", type=float, default=300.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--port", type=int, default=0, help="rendezvous port on 127.0.0.1 (0: a free one)")
    args = parser.parse_args(argv)
    if args.batch % max(1, args.processes):
        parser.error("--batch must be divisible by --processes")
    if "RANK" in os.environ:
        train(int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]), args)
    elif args.processes > 1:
        args.port = args.port or free_port()
        mp.spawn(train, args=(args.processes, args), nprocs=args.processes, join=True)
    else:
        train(0, 1, args)


if __name__ == "__main__":
    main()
