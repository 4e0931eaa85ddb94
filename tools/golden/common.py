"""Shared helpers for the golden-fixture scripts.

Each script builds named cases: fixed inputs, a function of them, PyTorch's output, and the gradients of
sum(output * upstream) for a fixed random upstream tensor, so every gradient element is exercised.
Fixtures are JSON files in tests/Nabla.Tests/Golden, read by the C# tests (CI needs no Python).
"""
import json
import os
import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Nabla.Tests", "Golden")
DTYPES = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64", torch.bool: "bool"}


def encode(t):
    t = t.detach()
    values = t.reshape(-1).tolist()
    if t.dtype == torch.bool:
        values = [1 if v else 0 for v in values]
    return {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data": values}


class Fixture:
    def __init__(self, name, seed=0):
        self.name = name
        self.cases = []
        self.gen = torch.Generator().manual_seed(seed)

    def randn(self, *shape, dtype=torch.float32):
        return torch.randn(tuple(shape), generator=self.gen, dtype=torch.float64).to(dtype)

    def rand(self, *shape, low=0.0, high=1.0, dtype=torch.float32):
        return (low + (high - low) * torch.rand(tuple(shape), generator=self.gen, dtype=torch.float64)).to(dtype)

    def randint(self, low, high, *shape):
        return torch.randint(low, high, shape, generator=self.gen)

    def case(self, name, fn, *inputs, grad=True):
        """Records fn(*inputs). Floating inputs require grad when grad is true."""
        leaves = []
        for x in inputs:
            x = x.clone()
            if grad and x.dtype.is_floating_point:
                x.requires_grad_(True)
            leaves.append(x)
        out = fn(*leaves)
        entry = {"name": name, "inputs": [encode(x) for x in leaves], "output": encode(out)}
        if grad and out.dtype.is_floating_point and any(x.requires_grad for x in leaves):
            upstream = self.randn(*out.shape, dtype=out.dtype)
            (out * upstream).sum().backward()
            entry["upstream"] = encode(upstream)
            entry["grads"] = [encode(x.grad) if x.grad is not None else None for x in leaves]
        self.cases.append(entry)

    def save(self):
        save_cases(self.name, self.cases)


def save_cases(name, cases):
    """Writes Golden/<name>.json: the generating script, the torch version and the cases, in whatever layout they have."""
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name + ".json")
    with open(path, "w") as f:
        json.dump({"generator": "tools/golden/" + name + ".py", "torch": torch.__version__, "cases": cases}, f)
    print(f"{path}: {len(cases)} cases")
    return path
