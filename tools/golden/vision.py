"""Golden fixtures for the vision transforms (src/Nabla/Data/Vision): the deterministic parts only.

Reference: torchvision.transforms.functional (Debian's python3-torchvision 0.14, matching python3-torch 1.13),
on float32/float64 tensors [C, H, W] or [N, C, H, W] in [0, 1]. Resizes use antialias=False, which is
torchvision 0.14's behaviour for tensors and what F.interpolate(mode=..., align_corners=False) computes.
The random transforms are not compared number for number (Nabla draws from its own generator, not torch's);
their sampling rules are tested in C# (tests/Nabla.Tests/Data/VisionTransformTests.cs).
No gradients: these are data preprocessing functions.
"""
import numpy as np
import torch
import torchvision.transforms.functional as F
from torchvision.transforms import InterpolationMode
from common import Fixture

f = Fixture("vision", seed=7)
BILINEAR, NEAREST = InterpolationMode.BILINEAR, InterpolationMode.NEAREST


def resize(size, mode):
    return lambda x: F.resize(x, size, interpolation=mode, antialias=False)


def case(name, fn, *inputs):
    f.case(name, fn, *inputs, grad=False)


# Resize: up, down, mixed (up in one dim, down in the other), batches, float64, the shorter-edge form.
case("resize_bilinear_up", resize([9, 13], BILINEAR), f.rand(3, 5, 7))
case("resize_bilinear_down", resize([5, 7], BILINEAR), f.rand(3, 16, 12))
case("resize_bilinear_mixed", resize([11, 4], BILINEAR), f.rand(1, 6, 10))
case("resize_bilinear_batch", resize([4, 9], BILINEAR), f.rand(2, 3, 7, 5))
case("resize_bilinear_float64", resize([8, 3], BILINEAR), f.rand(3, 5, 6, dtype=torch.float64))
case("resize_bilinear_same", resize([4, 5], BILINEAR), f.rand(2, 4, 5))
case("resize_bilinear_shorter_edge", resize(6, BILINEAR), f.rand(3, 8, 12))
case("interpolate_bilinear", lambda x: torch.nn.functional.interpolate(x, size=(7, 3), mode="bilinear", align_corners=False), f.rand(2, 3, 4, 9))
case("resize_nearest_up", resize([9, 11], NEAREST), f.rand(3, 4, 5))
case("resize_nearest_down", resize([5, 4], NEAREST), f.rand(3, 13, 11))
case("resize_nearest_double", resize([6, 8], NEAREST), f.rand(1, 3, 4))
case("resize_nearest_batch", resize([3, 7], NEAREST), f.rand(2, 2, 5, 5))

# Crops, padding, flips.
case("center_crop_odd", lambda x: F.center_crop(x, [4, 4]), f.rand(3, 7, 9))        # offsets round(1.5)=2, round(2.5)=2
case("center_crop_even", lambda x: F.center_crop(x, [5, 3]), f.rand(1, 8, 8))
case("center_crop_batch", lambda x: F.center_crop(x, [2, 3]), f.rand(2, 3, 4, 6))
case("crop", lambda x: F.crop(x, 1, 2, 3, 4), f.rand(3, 6, 7))
case("pad", lambda x: F.pad(x, 2), f.rand(2, 3, 4))
case("resized_crop", lambda x: F.resized_crop(x, 1, 2, 5, 4, [7, 7], interpolation=BILINEAR, antialias=False), f.rand(3, 8, 9))
case("hflip", F.hflip, f.rand(3, 4, 5))
case("vflip", F.vflip, f.rand(3, 4, 5))
case("hflip_batch", F.hflip, f.rand(2, 1, 3, 4))

# Normalize and the colour operations at fixed factors.
case("normalize", lambda x: F.normalize(x, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]), f.rand(3, 4, 5))
case("normalize_batch", lambda x: F.normalize(x, [0.5, 0.25], [0.5, 2.0]), f.rand(2, 2, 3, 3))
case("normalize_float64", lambda x: F.normalize(x, [0.1], [0.3]), f.rand(1, 3, 4, dtype=torch.float64))
case("rgb_to_grayscale", F.rgb_to_grayscale, f.rand(3, 4, 5))
case("adjust_brightness_up", lambda x: F.adjust_brightness(x, 1.3), f.rand(3, 5, 6))     # some values clip at 1
case("adjust_brightness_down", lambda x: F.adjust_brightness(x, 0.4), f.rand(3, 5, 6))
case("adjust_brightness_gray", lambda x: F.adjust_brightness(x, 1.1), f.rand(1, 4, 4))
case("adjust_contrast_down", lambda x: F.adjust_contrast(x, 0.6), f.rand(3, 5, 6))
case("adjust_contrast_up", lambda x: F.adjust_contrast(x, 1.8), f.rand(3, 5, 6))
case("adjust_contrast_gray", lambda x: F.adjust_contrast(x, 0.5), f.rand(1, 4, 5))
case("adjust_contrast_batch", lambda x: F.adjust_contrast(x, 1.4), f.rand(2, 3, 4, 4))  # one mean per image
case("adjust_saturation_up", lambda x: F.adjust_saturation(x, 1.7), f.rand(3, 5, 6))
case("adjust_saturation_down", lambda x: F.adjust_saturation(x, 0.3), f.rand(3, 5, 6))
case("adjust_saturation_gray", lambda x: F.adjust_saturation(x, 2.0), f.rand(1, 3, 3))  # a no-op for one channel


def hue_image():
    """Random colours plus the special cases of the HSV conversion: grey pixels, ties between channels, black, white."""
    x = f.rand(3, 6, 7)
    x[:, 0, 0] = torch.tensor([0.4, 0.4, 0.4])   # grey: s = 0, h = 0
    x[:, 0, 1] = torch.tensor([0.0, 0.0, 0.0])
    x[:, 0, 2] = torch.tensor([1.0, 1.0, 1.0])
    x[:, 0, 3] = torch.tensor([0.8, 0.8, 0.2])   # r = g = max
    x[:, 0, 4] = torch.tensor([0.3, 0.9, 0.9])   # g = b = max
    x[:, 0, 5] = torch.tensor([0.7, 0.1, 0.7])   # r = b = max
    x[:, 0, 6] = torch.tensor([1.0, 0.0, 0.0])   # pure red: h = 0
    x[:, 1, 0] = torch.tensor([0.9, 0.0, 0.05])  # h just below 1: shifts wrap around
    return x


case("adjust_hue_small", lambda x: F.adjust_hue(x, 0.1), hue_image())
case("adjust_hue_negative", lambda x: F.adjust_hue(x, -0.27), hue_image())
case("adjust_hue_half", lambda x: F.adjust_hue(x, 0.5), hue_image())
case("adjust_hue_batch", lambda x: F.adjust_hue(x, 0.33), f.rand(2, 3, 3, 4))
case("adjust_hue_float64", lambda x: F.adjust_hue(x, -0.05), f.rand(3, 4, 4, dtype=torch.float64))
case("adjust_hue_gray", lambda x: F.adjust_hue(x, 0.2), f.rand(1, 3, 3))                 # a no-op for one channel

# ToTensor from 8-bit HWC pixels (given to the C# side as an int64 tensor [H, W, C]).
for name, shape in [("to_tensor_rgb", (4, 5, 3)), ("to_tensor_gray", (3, 2, 1))]:
    pixels = f.randint(0, 256, *shape)
    pixels[0, 0, 0], pixels[0, 1, 0] = 0, 255
    case(name, lambda p: F.to_tensor(p.numpy().astype(np.uint8)), pixels)

f.save()
