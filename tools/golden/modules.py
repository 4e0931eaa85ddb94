"""Golden fixture for the module system: PyTorch's repr, parameter/buffer/module names and state-dict key order
for small nested structures. The C# twin (tests/Nabla.Tests/NN/ModuleGoldenTests.cs) builds the same trees from
test-only leaf modules and must reproduce every string and order exactly. One structure also records its state
dict values, an input and the output, so loading a PyTorch state dict and running Forward is checked end to end.
"""
import json
import os
from collections import OrderedDict
import torch
import torch.nn as nn
from common import OUT, encode

gen = torch.Generator().manual_seed(7)


def randn(*shape):
    return torch.randn(shape, generator=gen, dtype=torch.float64).float()


class Affine(nn.Module):
    """y = x * weight (+ bias): one weight and an optional bias (registered as None when absent)."""
    def __init__(self, n, bias=True):
        super().__init__()
        self.n = n
        self.weight = nn.Parameter(randn(n))
        if bias:
            self.bias = nn.Parameter(randn(n))
        else:
            self.register_parameter("bias", None)

    def forward(self, x):
        y = x * self.weight
        return y + self.bias if self.bias is not None else y

    def extra_repr(self):
        return f"features={self.n}, bias={self.bias is not None}"


class Normalize(nn.Module):
    """y = (x - running_mean) * scale, with a persistent int64 counter and a non-persistent scratch buffer."""
    def __init__(self, n):
        super().__init__()
        self.n = n
        self.scale = nn.Parameter(randn(n))
        self.register_buffer("running_mean", randn(n))
        self.register_buffer("num_batches_tracked", torch.tensor(7, dtype=torch.long))
        self.register_buffer("scratch", torch.zeros(n), persistent=False)

    def forward(self, x):
        return (x - self.running_mean) * self.scale

    def extra_repr(self):
        return f"num_features={self.n}"


class Exp(nn.Module):
    """No parameters, no extra repr: prints as Exp()."""
    def forward(self, x):
        return x.exp()


class Block(nn.Module):
    """Own parameter before its children, a two-line extra repr, and a ModuleList child."""
    def __init__(self, n):
        super().__init__()
        self.n = n
        self.gain = nn.Parameter(randn(1))
        self.norm = Normalize(n)
        self.layers = nn.ModuleList([Affine(n), Exp(), Affine(n, bias=False)])

    def forward(self, x):
        x = self.norm(x * self.gain)
        for layer in self.layers:
            x = layer(x)
        return x

    def extra_repr(self):
        return f"width={self.n}\nresidual=False"


class Wrapper(nn.Module):
    """A one-line extra repr together with a child: PyTorch then prints the extra on its own line."""
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return self.inner(x)

    def extra_repr(self):
        return "note=wrap"


def describe(name, model, freeze=None, forward_input=None):
    entry = {
        "name": name,
        "repr": repr(model),
        "named_parameters": [[k, list(p.shape)] for k, p in model.named_parameters()],
        "named_buffers": [[k, list(b.shape)] for k, b in model.named_buffers()],
        "named_modules": [[k, type(m).__name__] for k, m in model.named_modules()],
        "named_children": [[k, type(m).__name__] for k, m in model.named_children()],
        "state_dict": [[k, list(v.shape), encode(v)["dtype"]] for k, v in model.state_dict().items()],
        "num_parameters": sum(p.numel() for p in model.parameters()),
    }
    if freeze is not None:
        model.get_submodule(freeze).requires_grad_(False)
        entry["freeze"] = freeze
        entry["num_trainable"] = sum(p.numel() for p in model.parameters() if p.requires_grad)
    if forward_input is not None:
        entry["state_values"] = [[k, encode(v)] for k, v in model.state_dict().items()]
        entry["input"] = encode(forward_input)
        entry["output"] = encode(model(forward_input))
    return entry


structures = []

chain = nn.Sequential(Affine(4), Block(4), Wrapper(Normalize(4)), Exp(), Affine(4, bias=False))
structures.append(describe("chain", chain, freeze="1", forward_input=randn(3, 4) * 0.5))

containers = nn.Sequential(
    nn.ModuleDict({"right": Affine(3), "left": nn.ModuleList([Normalize(3), nn.Sequential()])}),
    nn.ModuleList(),
    Affine(3, bias=False),
)
structures.append(describe("containers", containers, freeze="0.left"))

named = nn.Sequential(OrderedDict([("encoder", Block(2)), ("head", Wrapper(Wrapper(Affine(2))))]))
structures.append(describe("named_sequential", named, freeze="head.inner"))

shared_leaf = Affine(2)
tied = Affine(2)
shared = nn.Sequential(shared_leaf, tied, shared_leaf)
tied.weight = shared_leaf.weight   # weight tying: the same tensor under two names
structures.append(describe("shared", shared, freeze="1"))

os.makedirs(OUT, exist_ok=True)
path = os.path.join(OUT, "modules.json")
with open(path, "w") as f:
    json.dump({"generator": "tools/golden/modules.py", "torch": torch.__version__, "structures": structures}, f, indent=1)
print(f"{path}: {len(structures)} structures")
