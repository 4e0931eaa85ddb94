"""A minimal safetensors reader/writer in plain Python + torch, and the PyTorch side of Nabla's checkpoint tests.

Debian ships no `safetensors` package (and no numpy next to python3-torch), so the format is written here from its
specification: 8-byte little-endian header length N, N bytes of UTF-8 JSON (padded with spaces to a multiple of 8),
then the tensors' little-endian bytes back to back.

    python3 tools/golden/safetensors_io.py write   # PyTorch -> tests/Nabla.Tests/Golden/torch_checkpoint.{safetensors,json}
    python3 tools/golden/safetensors_io.py check   # Nabla's nabla_checkpoint.safetensors -> PyTorch load_state_dict + logits
    python3 tools/golden/safetensors_io.py         # both

The model is TinyNet below, mirrored in C# by tests/Nabla.Tests/IO/TinyNet.cs (Nabla has no Linear layer yet on main).
"""
import json
import os
import struct
import sys

import torch
from torch import nn

from common import OUT, encode

CODES = {torch.float32: ("F32", "f", 4), torch.float64: ("F64", "d", 8), torch.int64: ("I64", "q", 8), torch.bool: ("BOOL", "B", 1)}
DTYPES = {code: (dtype, fmt, size) for dtype, (code, fmt, size) in CODES.items()}


def tensor_bytes(t):
    code, fmt, _ = CODES[t.dtype]
    values = t.detach().contiguous().reshape(-1).tolist()
    if t.dtype == torch.bool:
        values = [1 if v else 0 for v in values]
    return struct.pack("<%d%s" % (len(values), fmt), *values)


def save(path, tensors, metadata=None):
    """Writes tensors (name -> tensor, in order) atomically: a temporary file, fsync, then os.replace."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = dict(metadata)
    for name, t in tensors.items():
        data = tensor_bytes(t)
        header[name] = {"dtype": CODES[t.dtype][0], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    temp = path + ".tmp"
    with open(temp, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, path)


def load(path):
    """Returns (dict name -> tensor in data order, metadata dict), checking the layout like Nabla's reader."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise ValueError(f"{path}: shorter than 8 bytes")
    (n,) = struct.unpack_from("<Q", raw, 0)
    if n > len(raw) - 8:
        raise ValueError(f"{path}: header length {n} exceeds the file")
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    data = raw[8 + n:]
    entries = sorted(header.items(), key=lambda kv: tuple(kv[1]["data_offsets"]))
    tensors, position = {}, 0
    for name, info in entries:
        dtype, fmt, size = DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        numel = 1
        for d in info["shape"]:
            numel *= d
        if begin != position or end - begin != numel * size or end > len(data):
            raise ValueError(f"{path}: bad data_offsets for {name}: {info}")
        values = list(struct.unpack_from("<%d%s" % (numel, fmt), data, begin))
        tensors[name] = torch.tensor(values, dtype=dtype).reshape(info["shape"])
        position = end
    if position != len(data):
        raise ValueError(f"{path}: {len(data) - position} trailing bytes")
    return tensors, metadata


class TinyLinear(nn.Module):
    """nn.Linear's parameters and math, spelled out (mirrors the C# test module)."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n_out, n_in) * 0.5)
        self.bias = nn.Parameter(torch.randn(n_out) * 0.1)

    def forward(self, x):
        return x @ self.weight.t() + self.bias


class TinyNet(nn.Module):
    """fc2(where(mask, relu(fc1(x) - shift), 0)); buffers of every dtype Nabla stores (F32, BOOL, I64 0-d, F64)."""

    def __init__(self):
        super().__init__()
        self.register_buffer("shift", torch.randn(3) * 0.1)
        self.register_buffer("mask", torch.tensor([True, False, True]))
        self.register_buffer("num_batches_tracked", torch.tensor(5))
        self.register_buffer("calibration", torch.tensor([0.25, -1.5], dtype=torch.float64))  # bookkeeping, unused by forward
        self.fc1 = TinyLinear(4, 3)
        self.fc2 = TinyLinear(3, 2)

    def forward(self, x):
        h = torch.relu(self.fc1(x) - self.shift)
        return self.fc2(torch.where(self.mask, h, torch.zeros_like(h)))


def fixed_input():
    return torch.linspace(-1.0, 1.0, 12).reshape(3, 4)


def write():
    torch.manual_seed(0)
    model = TinyNet()
    x = fixed_input()
    with torch.no_grad():
        logits = model(x)
    path = os.path.join(OUT, "torch_checkpoint.safetensors")
    save(path, model.state_dict(), {"format": "pt", "written_by": "tools/golden/safetensors_io.py"})
    with open(os.path.join(OUT, "torch_checkpoint.json"), "w") as f:
        json.dump({"generator": "tools/golden/safetensors_io.py", "torch": torch.__version__,
                   "input": encode(x), "logits": encode(logits)}, f)
    # The reader must give back exactly what was written.
    again, meta = load(path)
    assert list(again) == list(model.state_dict()) and meta["format"] == "pt"
    for k, v in model.state_dict().items():
        assert again[k].dtype == v.dtype and torch.equal(again[k], v), k
    print(f"{path}: {len(again)} tensors, logits {list(logits.shape)}")


def check():
    path = os.path.join(OUT, "nabla_checkpoint.safetensors")
    tensors, meta = load(path)
    with open(os.path.join(OUT, "nabla_checkpoint.json")) as f:
        expected = json.load(f)
    model_state = {k: v for k, v in tensors.items() if not k.startswith("__optimizer__.")}
    model = TinyNet()
    model.load_state_dict(model_state, strict=True)  # raises on any missing/unexpected key or shape mismatch
    for k, v in model.state_dict().items():
        assert v.dtype == model_state[k].dtype, f"{k}: {model_state[k].dtype} in the file, {v.dtype} in PyTorch"
    x = torch.tensor(expected["input"]["data"], dtype=torch.float32).reshape(expected["input"]["shape"])
    with torch.no_grad():
        logits = model(x)
    want = torch.tensor(expected["logits"]["data"], dtype=torch.float32).reshape(expected["logits"]["shape"])
    diff = (logits - want).abs().max().item()
    assert diff <= 1e-5, f"logits differ by {diff}: PyTorch {logits.tolist()}, Nabla {want.tolist()}"
    print(f"{path}: loads into PyTorch TinyNet (strict), metadata {sorted(meta)}, logits match (max |diff| {diff:.2e})")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "all"
    if mode in ("write", "all"):
        write()
    if mode in ("check", "all"):
        check()
