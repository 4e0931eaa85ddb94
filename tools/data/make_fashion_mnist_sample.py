"""Draws the Fashion-MNIST sample shipped in data/fashion-mnist-sample/.

A stratified sample: the same number of images of every class (300 per class from the training set, 100 per
class from the test set), chosen by a seeded random generator and kept in their original relative order, so the
sample is reproducible bit for bit. The files are written in the original IDX format, gzip-compressed with a
zero timestamp, under the original file names.

Run with /usr/bin/python3 (numpy only). Source: /usr/share/datasets/fashion-mnist (Debian package
dataset-fashion-mnist).
"""
import gzip
import os
import struct
import sys

import numpy as np

SOURCE = "/usr/share/datasets/fashion-mnist"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "fashion-mnist-sample")
SEED = 20240611
PER_CLASS = {"train": 300, "t10k": 100}


def read_idx(path, expected_magic):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    if magic != expected_magic:
        sys.exit(f"{path}: magic {magic:#x}, expected {expected_magic:#x}")
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    return body.reshape(dims)


def write_idx(path, array):
    header = struct.pack(">I", 0x0800 | array.ndim) + struct.pack(">" + "I" * array.ndim, *array.shape)
    with open(path, "wb") as raw:
        # mtime=0 and no file name in the gzip header: the same input gives the same bytes.
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
            f.write(header)
            f.write(np.ascontiguousarray(array, dtype=np.uint8).tobytes())


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(SEED)
    for split, per_class in PER_CLASS.items():
        images = read_idx(os.path.join(SOURCE, f"{split}-images-idx3-ubyte.gz"), 0x0803)
        labels = read_idx(os.path.join(SOURCE, f"{split}-labels-idx1-ubyte.gz"), 0x0801)
        chosen = []
        for c in range(10):
            members = np.flatnonzero(labels == c)
            chosen.append(rng.choice(members, size=per_class, replace=False))
        keep = np.sort(np.concatenate(chosen))
        write_idx(os.path.join(OUT, f"{split}-images-idx3-ubyte.gz"), images[keep])
        write_idx(os.path.join(OUT, f"{split}-labels-idx1-ubyte.gz"), labels[keep])
        print(f"{split}: {len(keep)} images, {per_class} per class")


if __name__ == "__main__":
    main()
