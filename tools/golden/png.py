"""Golden PNG files for the PNG decoder, written to tests/Nabla.Tests/Golden/png.json.

Two independent encoders make the files: Pillow (what users' images usually come from), and a small encoder on
Python's zlib that writes every row filter type 0-4 (Pillow picks filters itself, so it may never use some).
Each case stores the PNG bytes (base64) and the pixels a decoder must produce (height x width x channels,
row-major, 8-bit; palette images expanded to RGB, or RGBA when the palette has alpha). Error cases store bad
files and a fragment the decoder's message must contain. The expected grey conversion of an RGB image comes
from Pillow's convert("L"). Run with /usr/bin/python3 (Pillow and numpy).
"""
import base64
import io
import json
import os
import struct
import zlib

import numpy as np
from PIL import Image

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Nabla.Tests", "Golden", "png.json")
rng = np.random.default_rng(7)
cases = []


def b64(data):
    return base64.b64encode(data).decode("ascii")


def pil_png(img, **options):
    buf = io.BytesIO()
    img.save(buf, format="PNG", **options)
    return buf.getvalue()


def good(name, png, pixels, extra=None):
    pixels = np.asarray(pixels, dtype=np.uint8)
    if pixels.ndim == 2:
        pixels = pixels[:, :, None]
    entry = {"name": name, "png": b64(png), "height": int(pixels.shape[0]), "width": int(pixels.shape[1]),
             "channels": int(pixels.shape[2]), "pixels": pixels.reshape(-1).tolist()}
    if extra:
        entry.update(extra)
    cases.append(entry)


def bad(name, png, message):
    cases.append({"name": name, "png": b64(png), "error": message})


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def encode_filtered(pixels, color_type):
    """8-bit PNG with row y filtered by type y % 5, straight from the spec."""
    h, w, c = pixels.shape
    bpp = c
    raw = bytearray()
    prev = np.zeros(w * c, dtype=np.int64)
    for y in range(h):
        row = pixels[y].reshape(-1).astype(np.int64)
        ftype = y % 5
        out = []
        for i in range(len(row)):
            a = row[i - bpp] if i >= bpp else 0
            b = prev[i]
            cc = prev[i - bpp] if i >= bpp else 0
            pred = [0, a, b, (a + b) // 2, paeth(a, b, cc)][ftype]
            out.append((row[i] - pred) & 0xFF)
        raw.append(ftype)
        raw.extend(out)
        prev = row
    header = struct.pack(">IIBBBBB", w, h, 8, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
            + chunk(b"IEND", b""))


# Pillow-written images of each supported kind.
grey = rng.integers(0, 256, (5, 7), dtype=np.uint8)
good("pil_grey8", pil_png(Image.fromarray(grey, "L")), grey)
rgb = rng.integers(0, 256, (6, 9, 3), dtype=np.uint8)
rgb_img = Image.fromarray(rgb, "RGB")
luma = np.asarray(rgb_img.convert("L"))
good("pil_rgb8", pil_png(rgb_img), rgb, {"luma": luma.reshape(-1).tolist()})
rgba = rng.integers(0, 256, (4, 3, 4), dtype=np.uint8)
good("pil_rgba8", pil_png(Image.fromarray(rgba, "RGBA")), rgba)
la = rng.integers(0, 256, (3, 5, 2), dtype=np.uint8)
good("pil_grey_alpha8", pil_png(Image.fromarray(la, "LA")), la)

# Palette images: 8-bit indices, 4-bit indices with transparency, 1-bit grey.
pal = rng.integers(0, 256, (20, 3), dtype=np.uint8)
idx = rng.integers(0, 20, (8, 11), dtype=np.uint8)
p_img = Image.fromarray(idx, "P")
p_img.putpalette(pal.reshape(-1).tolist())
good("pil_palette8", pil_png(p_img, bits=8), pal[idx])
pal4 = rng.integers(0, 256, (5, 3), dtype=np.uint8)
alpha4 = np.array([255, 0, 128, 64, 200], dtype=np.uint8)
idx4 = rng.integers(0, 5, (6, 13), dtype=np.uint8)
p4 = Image.fromarray(idx4, "P")
p4.putpalette(pal4.reshape(-1).tolist())
p4_bytes = pil_png(p4, bits=4, transparency=alpha4.tobytes())
with Image.open(io.BytesIO(p4_bytes)) as check:  # make sure Pillow really wrote 4-bit indices and a tRNS chunk
    assert check.info.get("transparency") is not None
assert p4_bytes[24] == 4, "expected a 4-bit palette file"
good("pil_palette4_trns", p4_bytes, np.concatenate([pal4[idx4], alpha4[idx4][:, :, None]], axis=2))
bits = rng.integers(0, 2, (7, 10), dtype=np.uint8) * 255
one_bit = pil_png(Image.fromarray(bits, "L").convert("1"))
assert one_bit[24] == 1, "expected a 1-bit grey file"
good("pil_grey1", one_bit, bits)

# Every filter type, from the spec-level encoder.
filt_rgb = rng.integers(0, 256, (10, 6, 3), dtype=np.uint8)
good("filters_rgb8", encode_filtered(filt_rgb, 2), filt_rgb)
filt_grey = rng.integers(0, 256, (10, 9, 1), dtype=np.uint8)
good("filters_grey8", encode_filtered(filt_grey, 0), filt_grey)
filt_rgba = rng.integers(0, 256, (5, 4, 4), dtype=np.uint8)
good("filters_rgba8", encode_filtered(filt_rgba, 6), filt_rgba)

# Files the decoder must refuse, each with the fragment its message must contain.
ok = pil_png(Image.fromarray(grey, "L"))
bad("not_png", b"GIF89a" + ok[6:], "PNG signature")
bad("truncated", ok[: len(ok) - 20], "truncated")
broken = bytearray(ok)
broken[45] ^= 0xFF  # inside the IDAT payload: the chunk CRC no longer matches
bad("bad_crc", bytes(broken), "wrong CRC")
bad("interlaced", b"".join([b"\x89PNG\r\n\x1a\n", chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 1)),
                            chunk(b"IDAT", zlib.compress(bytes(20))), chunk(b"IEND", b"")]), "interlaced")
bad("sixteen_bit", pil_png(Image.fromarray((grey.astype(np.uint16) * 257), "I;16")), "16-bit")
bad("bad_filter", b"".join([b"\x89PNG\r\n\x1a\n", chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 1, 8, 0, 0, 0, 0)),
                            chunk(b"IDAT", zlib.compress(bytes([9, 1, 2]))), chunk(b"IEND", b"")]), "filter type 9")
bad("short_data", b"".join([b"\x89PNG\r\n\x1a\n", chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)),
                            chunk(b"IDAT", zlib.compress(bytes(13))), chunk(b"IEND", b"")]), "image data is truncated")
bad("palette_index_out_of_range", b"".join([b"\x89PNG\r\n\x1a\n",
                                             chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 1, 8, 3, 0, 0, 0)),
                                             chunk(b"PLTE", bytes([1, 2, 3, 4, 5, 6])),
                                             chunk(b"IDAT", zlib.compress(bytes([0, 1, 7]))), chunk(b"IEND", b"")]),
    "palette entry 7")

with open(OUT, "w") as f:
    json.dump({"generator": "tools/golden/png.py", "pillow": Image.__version__, "cases": cases}, f)
print(f"{OUT}: {len(cases)} cases")
