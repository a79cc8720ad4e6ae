"""Small torch models and plans shared by the tests."""
import numpy as np
import torch
from torch import nn

from ssh_peft_torch.fingerprint import fingerprint_linear_weight


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


class TinyNet(nn.Module):
    """Two blocks and a head; all Linear, 2-D input [batch, features] (exports to Gemm nodes)."""

    def __init__(self, d=12, hidden=20, classes=5, seed=0):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.encoder = nn.Sequential(Block(d, hidden), Block(d, hidden))
        self.head = nn.Linear(d, classes)
        with torch.no_grad():
            for p in self.parameters():
                p.copy_(torch.randn(p.shape, generator=g) * 0.3)

    def forward(self, x):
        return self.head(self.encoder(x))


def make_plan(model, names, per_layer=6, seed=0, variant="separable", normalization="backward"):
    """A plan dict like `ssh-peft select` writes (random positions; fingerprints of weight.T)."""
    rng = np.random.default_rng(seed)
    modules = dict(model.named_modules())
    layers = []
    for name in names:
        m = modules[name]
        rows, cols = m.in_features, m.out_features
        idx = np.sort(rng.choice(rows * cols, size=min(per_layer, rows * cols), replace=False))
        layers.append({"name": name, "rows": rows, "cols": cols, "energyChosen": 0, "capturedEnergy": 0,
                       "fingerprint": fingerprint_linear_weight(m.weight), "indices": [int(i) for i in idx]})
    return {"format": "ssh-peft-selection-plan", "version": 1,
            "options": {"strategy": "per-layer", "perLayer": per_layer, "energyRatio": 0.7, "seed": seed, "variant": variant, "normalization": normalization},
            "layers": layers}


def train(model, params, x, y, steps=30, lr=0.05):
    opt = torch.optim.Adam(params, lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
    return float(loss)
