"""Checkpoint interop for a zoo model (the notes' modern LeNet with BatchNorm), through real safetensors files.

    python3 tools/golden/zoo_interop.py write   # PyTorch -> Golden/torch_lenet_modern.{safetensors,json}
    python3 tools/golden/zoo_interop.py check   # Nabla's Golden/nabla_lenet_modern.safetensors -> PyTorch, logits compared

The C# side is tests/Nabla.Tests/Models/ZooCheckpointInteropTests.cs.
"""
import json
import os
import sys

import torch

from common import OUT, encode
from safetensors_io import load, save
from zoo import lenet_modern, randomise


def fixed_input():
    return torch.randn(3, 1, 28, 28, generator=torch.Generator().manual_seed(11))


def write():
    torch.manual_seed(5)
    model = randomise(lenet_modern()).eval()
    x = fixed_input()
    with torch.no_grad():
        logits = model(x)
    save(os.path.join(OUT, "torch_lenet_modern.safetensors"), model.state_dict(), {"format": "pt"})
    with open(os.path.join(OUT, "torch_lenet_modern.json"), "w") as f:
        json.dump({"generator": "tools/golden/zoo_interop.py", "input": encode(x), "logits": encode(logits)}, f)
    print("wrote torch_lenet_modern.safetensors and .json")


def check():
    tensors, _ = load(os.path.join(OUT, "nabla_lenet_modern.safetensors"))
    model = lenet_modern().eval()
    model.load_state_dict(tensors, strict=True)
    with open(os.path.join(OUT, "nabla_lenet_modern.json")) as f:
        recorded = json.load(f)
    x = torch.tensor(recorded["input"]["data"], dtype=torch.float32).reshape(recorded["input"]["shape"])
    expected = torch.tensor(recorded["logits"]["data"], dtype=torch.float32).reshape(recorded["logits"]["shape"])
    with torch.no_grad():
        logits = model(x)
    diff = (logits - expected).abs().max().item()
    print(f"PyTorch loaded Nabla's LeNet checkpoint (strict); max |logit diff| = {diff:.3g}")
    if diff > 1e-5:
        sys.exit(1)


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "all"
    if mode in ("write", "all"):
        write()
    if mode in ("check", "all"):
        check()
