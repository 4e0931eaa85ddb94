"""Golden fixtures for convolution, transposed convolution and pooling (functional forms and layers).

Convolution cases take (input, weight[, bias]) as inputs so the gradients of all three are recorded; the C#
tests replay each through Functional and through the layer (parameters loaded from the inputs).
"structures" holds the repr of layers built with given arguments.
"""
import json
import os
import torch
import torch.nn as nn
import torch.nn.functional as F
from common import Fixture, OUT

f = Fixture("conv", seed=7)
r = f.randn
d64 = torch.float64

# --- Conv2d: F.conv2d(x, w, b, stride, padding, dilation, groups)
f.case("conv2d_basic", lambda x, w, b: F.conv2d(x, w, b, 1, 1), r(2, 3, 7, 6), r(4, 3, 3, 3), r(4))
f.case("conv2d_stride2_pad3", lambda x, w, b: F.conv2d(x, w, b, 2, 3), r(2, 3, 9, 8), r(5, 3, 3, 3), r(5))
f.case("conv2d_dilation2", lambda x, w, b: F.conv2d(x, w, b, 1, 1, 2), r(2, 2, 9, 9), r(3, 2, 3, 3), r(3))
f.case("conv2d_groups2", lambda x, w, b: F.conv2d(x, w, b, 1, 1, 1, 2), r(2, 4, 6, 7), r(6, 2, 3, 3), r(6))
f.case("conv2d_depthwise", lambda x, w, b: F.conv2d(x, w, b, 2, 1, 1, 3), r(2, 3, 6, 6), r(3, 1, 3, 3), r(3))
f.case("conv2d_batch1_nonsquare", lambda x, w: F.conv2d(x, w, None, (2, 1), (1, 2)), r(1, 2, 5, 9), r(3, 2, 2, 4))
f.case("conv2d_same_even_kernel", lambda x, w, b: F.conv2d(x, w, b, 1, "same"), r(2, 2, 6, 5), r(3, 2, 4, 2), r(3))
f.case("conv2d_same_dilated", lambda x, w, b: F.conv2d(x, w, b, 1, "same", 2), r(1, 2, 7, 7), r(2, 2, 3, 3), r(2))
f.case("conv2d_valid", lambda x, w, b: F.conv2d(x, w, b, 1, "valid"), r(2, 2, 5, 6), r(3, 2, 3, 2), r(3))
f.case("conv2d_1x1", lambda x, w, b: F.conv2d(x, w, b), r(3, 4, 5, 5), r(6, 4, 1, 1), r(6))
f.case("conv2d_1x1_groups", lambda x, w, b: F.conv2d(x, w, b, 1, 0, 1, 2), r(2, 4, 3, 5), r(6, 2, 1, 1), r(6))
f.case("conv2d_1x1_stride2", lambda x, w, b: F.conv2d(x, w, b, 2), r(2, 3, 5, 6), r(2, 3, 1, 1), r(2))
f.case("conv2d_float64", lambda x, w, b: F.conv2d(x, w, b, 2, 1, 1, 2), r(2, 4, 7, 7, dtype=d64), r(4, 2, 3, 3, dtype=d64), r(4, dtype=d64))
f.case("conv2d_unbatched", lambda x, w, b: F.conv2d(x, w, b, 1, 1), r(3, 6, 6), r(2, 3, 3, 3), r(2))
f.case("conv2d_noncontiguous", lambda x, w, b: F.conv2d(x.permute(0, 3, 1, 2), w, b, 1, 1), r(2, 6, 5, 3), r(4, 3, 3, 3), r(4))
f.case("conv2d_parallel_batch", lambda x, w, b: F.conv2d(x, w, b, 1, 1), r(3, 4, 12, 12), r(8, 4, 3, 3), r(8))
# float64: its weight gradient sums 432 products per element, where float32 rounding alone (in either library)
# exceeds the 1e-5 tolerance; float64 compares the batch-parallel partial sums exactly.
f.case("conv2d_parallel_1x1", lambda x, w, b: F.conv2d(x, w, b), r(3, 16, 12, 12, dtype=d64), r(16, 16, 1, 1, dtype=d64), r(16, dtype=d64))

# --- Conv1d
f.case("conv1d_basic", lambda x, w, b: F.conv1d(x, w, b, 2, 1), r(2, 3, 10), r(4, 3, 3), r(4))
f.case("conv1d_same_dilation_groups", lambda x, w, b: F.conv1d(x, w, b, 1, "same", 2, 2), r(2, 4, 9), r(4, 2, 4), r(4))
f.case("conv1d_unbatched", lambda x, w, b: F.conv1d(x, w, b), r(3, 8), r(2, 3, 3), r(2))

# --- ConvTranspose: F.conv_transpose2d(x, w, b, stride, padding, output_padding, groups, dilation)
f.case("convt2d_basic", lambda x, w, b: F.conv_transpose2d(x, w, b), r(2, 3, 4, 5), r(3, 4, 3, 3), r(4))
f.case("convt2d_stride2_outpad1_groups2", lambda x, w, b: F.conv_transpose2d(x, w, b, 2, 1, 1, 2), r(2, 4, 3, 4), r(4, 3, 3, 3), r(6))
f.case("convt2d_dilation_nonsquare", lambda x, w: F.conv_transpose2d(x, w, None, (1, 2), (0, 1), 0, 1, (2, 1)), r(1, 2, 4, 3), r(2, 3, 2, 3))
f.case("convt2d_outpad_ge_stride", lambda x, w, b: F.conv_transpose2d(x, w, b, 1, 0, 1, 1, 2), r(1, 2, 3, 3), r(2, 2, 3, 3), r(2))
f.case("convt2d_float64", lambda x, w, b: F.conv_transpose2d(x, w, b, 2, 0, 1), r(2, 2, 3, 3, dtype=d64), r(2, 3, 2, 2, dtype=d64), r(3, dtype=d64))
f.case("convt2d_parallel", lambda x, w, b: F.conv_transpose2d(x, w, b, 2, 1, 1), r(2, 8, 8, 8), r(8, 8, 3, 3), r(8))
f.case("convt1d", lambda x, w, b: F.conv_transpose1d(x, w, b, 2, 1, 1), r(2, 3, 6), r(3, 2, 4), r(2))

# --- Max pooling
f.case("maxpool2d_basic", lambda x: F.max_pool2d(x, 2), r(2, 3, 6, 6))
f.case("maxpool2d_overlap_pad", lambda x: F.max_pool2d(x, 3, 2, 1), r(2, 2, 7, 8))
f.case("maxpool2d_dilation_nonsquare", lambda x: F.max_pool2d(x, (2, 3), 1, (1, 1), 2), r(1, 2, 7, 8))
f.case("maxpool2d_ceil", lambda x: F.max_pool2d(x, 3, 2, ceil_mode=True), r(1, 2, 7, 8))
f.case("maxpool2d_ceil_pad_drops_last", lambda x: F.max_pool2d(x, 2, 2, 1, ceil_mode=True), r(1, 1, 5, 5))
f.case("maxpool2d_indices", lambda x: F.max_pool2d(x, 3, 2, 1, return_indices=True)[1], r(1, 2, 6, 7))
f.case("maxpool2d_float64", lambda x: F.max_pool2d(x, 2, 1), r(2, 2, 4, 5, dtype=d64))
f.case("maxpool2d_unbatched", lambda x: F.max_pool2d(x, 2), r(3, 4, 5))
f.case("maxpool1d", lambda x: F.max_pool1d(x, 3, 2, 1), r(2, 3, 11))
f.case("maxpool1d_ceil_dilation", lambda x: F.max_pool1d(x, 2, 2, 0, 2, ceil_mode=True), r(2, 2, 10))
f.case("maxpool1d_indices", lambda x: F.max_pool1d(x, 3, 2, 1, return_indices=True)[1], r(1, 2, 9))

# --- Average pooling: F.avg_pool2d(x, k, stride, padding, ceil_mode, count_include_pad)
f.case("avgpool2d_basic", lambda x: F.avg_pool2d(x, 2), r(2, 3, 6, 6))
f.case("avgpool2d_pad_include", lambda x: F.avg_pool2d(x, 3, 2, 1), r(2, 2, 7, 8))
f.case("avgpool2d_pad_exclude", lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=False), r(2, 2, 7, 8))
f.case("avgpool2d_ceil", lambda x: F.avg_pool2d(x, 3, 2, ceil_mode=True), r(1, 2, 8, 7))
f.case("avgpool2d_ceil_pad_include", lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True), r(1, 2, 8, 6))
f.case("avgpool2d_ceil_pad_exclude", lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False), r(1, 2, 8, 6))
f.case("avgpool2d_nonsquare", lambda x: F.avg_pool2d(x, (2, 3), (1, 2)), r(2, 2, 5, 9))
f.case("avgpool2d_float64_unbatched", lambda x: F.avg_pool2d(x, 2, 1, 1), r(2, 4, 4, dtype=d64))
f.case("avgpool1d", lambda x: F.avg_pool1d(x, 3, 2, 1), r(2, 3, 10))
f.case("avgpool1d_ceil_exclude", lambda x: F.avg_pool1d(x, 4, 3, 2, ceil_mode=True, count_include_pad=False), r(2, 2, 10))

# --- Adaptive and global pooling
f.case("adaptive_avg2d_nondivisible", lambda x: F.adaptive_avg_pool2d(x, (3, 2)), r(2, 3, 7, 5))
f.case("adaptive_avg2d_upsample", lambda x: F.adaptive_avg_pool2d(x, (5, 4)), r(1, 2, 3, 3))
f.case("adaptive_avg2d_float64", lambda x: F.adaptive_avg_pool2d(x, 3), r(1, 2, 8, 7, dtype=d64))
f.case("adaptive_avg1d", lambda x: F.adaptive_avg_pool1d(x, 4), r(2, 3, 10))
f.case("adaptive_max2d_nondivisible", lambda x: F.adaptive_max_pool2d(x, (3, 4)), r(2, 2, 7, 9))
f.case("adaptive_max2d_indices", lambda x: F.adaptive_max_pool2d(x, (3, 4), return_indices=True)[1], r(1, 2, 7, 9))
f.case("adaptive_max2d_unbatched", lambda x: F.adaptive_max_pool2d(x, 2), r(3, 5, 5))
f.case("adaptive_max1d", lambda x: F.adaptive_max_pool1d(x, 3), r(2, 2, 10))
f.case("global_avg", lambda x: x.mean((2, 3)), r(2, 3, 5, 4))
f.case("global_avg_keepdim", lambda x: F.adaptive_avg_pool2d(x, 1), r(2, 3, 5, 4))
f.case("global_max", lambda x: F.adaptive_max_pool2d(x, 1).flatten(1), r(2, 3, 5, 4))
f.case("global_max_keepdim", lambda x: F.adaptive_max_pool2d(x, 1), r(2, 3, 5, 4))
f.save()

# --- Layer reprs (PyTorch 1.13 text)
structures = {
    "conv2d_lenet": nn.Conv2d(1, 6, 5, padding=2),
    "conv2d_full": nn.Conv2d(4, 6, (3, 2), stride=2, padding=3, dilation=2, groups=2, bias=False),
    "conv2d_same": nn.Conv2d(2, 2, 4, padding="same"),
    "conv2d_valid": nn.Conv2d(2, 2, 4, padding="valid"),
    "conv2d_pair_padding": nn.Conv2d(3, 8, 3, stride=(2, 1), padding=(1, 0)),
    "conv1d": nn.Conv1d(3, 4, 5),
    "conv1d_same": nn.Conv1d(3, 4, 5, padding="same", dilation=2),
    "conv1d_padding": nn.Conv1d(3, 4, 5, stride=2, padding=2, groups=1, bias=False),
    "convt2d": nn.ConvTranspose2d(4, 6, 3, stride=2, output_padding=1, groups=2),
    "convt2d_plain": nn.ConvTranspose2d(4, 6, 3),
    "convt2d_full": nn.ConvTranspose2d(2, 4, (2, 3), stride=(1, 2), padding=(0, 1), dilation=(2, 1), bias=False),
    "convt1d": nn.ConvTranspose1d(3, 2, 4, stride=2, padding=1, output_padding=1),
    "maxpool2d": nn.MaxPool2d(2),
    "maxpool2d_full": nn.MaxPool2d((2, 3), stride=1, padding=1, dilation=2, ceil_mode=True),
    "maxpool1d": nn.MaxPool1d(3, 2, 1),
    "avgpool2d": nn.AvgPool2d(2),
    "avgpool2d_full": nn.AvgPool2d((2, 3), 1, 1, ceil_mode=True, count_include_pad=False),
    "avgpool1d": nn.AvgPool1d(3, 2, 1),
    "adaptive_avg2d": nn.AdaptiveAvgPool2d(5),
    "adaptive_avg2d_pair": nn.AdaptiveAvgPool2d((5, 7)),
    "adaptive_max2d": nn.AdaptiveMaxPool2d(3),
    "adaptive_avg1d": nn.AdaptiveAvgPool1d(4),
    "adaptive_max1d": nn.AdaptiveMaxPool1d(4),
}
path = os.path.join(OUT, "conv.json")
with open(path) as fh:
    data = json.load(fh)
data["structures"] = [{"name": k, "repr": repr(m)} for k, m in structures.items()]
with open(path, "w") as fh:
    json.dump(data, fh)
print(f"{path}: {len(structures)} structures")
