"""Golden strings for tensor printing: str(tensor) under PyTorch's default print options.

Each case stores the input tensor (encoded like the other fixtures; non-finite floats as strings), an optional
view applied before printing ("t": transpose), whether the tensor requires grad, and the expected text.
"""
import json
import math
import os
import torch
from common import OUT, encode

gen = torch.Generator().manual_seed(7)
cases = []


def randn(*shape, dtype=torch.float32):
    return torch.randn(shape, generator=gen, dtype=torch.float64).to(dtype)


def add(name, t, view=None, requires_grad=False):
    shown = t.t() if view == "t" else t
    if requires_grad:
        shown = shown.detach().requires_grad_(True)
    entry = encode(t)
    entry["data"] = [v if not isinstance(v, float) or math.isfinite(v) else str(v).replace("inf", "Infinity").replace("nan", "NaN")
                     for v in entry["data"]]
    cases.append({"name": name, "input": entry, "view": view, "requires_grad": requires_grad, "expected": str(shown)})


T = torch.tensor
nan, inf = float("nan"), float("inf")

add("small_ints_float", T([[1.0, 2.0], [3.0, 4.0]]))
add("fractions", T([[1.5, -2.25], [3.125, 4.0]]))
add("mixed_magnitudes_sci", T([0.001, 1.0, 123.456]))
add("fixed_wide_range", T([1234.5, 2.25, -0.5]))
add("negatives_randn", randn(3, 4))
add("sci_small_min", T([1e-5, 0.5, -0.25]))
add("sci_int_large", T([1e9, 1.0, -3.0]))
add("sci_int_ratio", T([1.0, 2000.0]))
add("int_mode_powers", T([1.0, 10.0, 100.0, -1000.0]))
add("int_mode_1e8_not_sci", T([1e8, 1e6]))
add("zeros", torch.zeros(2, 3))
add("negative_zero", T([-0.0, 0.0]))
add("negative_rounds_to_zero", T([-0.00004, 1.5]))
add("nan_inf", T([nan, 1.5, -inf]))
add("nan_inf_int_mode", T([nan, inf, 2.0]))
add("all_nan", T([nan, nan]))
add("tie_rounding_half_even", T([0.03125, 0.5, 2.5]))
add("scalar_float", T(3.5))
add("scalar_int_valued", T(3.0))
add("scalar_negative_sci", T(-1.25e-7))
add("scalar_int64", T(7))
add("scalar_bool", T(True))
add("scalar_float64", T(2.0, dtype=torch.float64))
add("empty_1d", torch.zeros(0))
add("empty_2d", torch.zeros(0, 3))
add("empty_int64", torch.zeros(0, dtype=torch.int64))
add("empty_bool_3d", torch.zeros(2, 0, 1, dtype=torch.bool))
add("empty_float64", torch.zeros(2, 0, dtype=torch.float64))
add("three_d", randn(2, 3, 4))
add("four_d_ints", torch.arange(24).reshape(1, 2, 3, 4).float())
add("float64", randn(2, 3, dtype=torch.float64))
add("float64_wrapped_suffix", randn(2, 6, dtype=torch.float64))
add("float64_long_row", randn(9, dtype=torch.float64))
add("bool", T([[True, False], [False, True]]))
add("int64", T([[1, -20, 300], [4, 5, 123456789012]]))
add("int64_wrapping", torch.arange(-30, 40))
add("float_wrapping", randn(30))
add("wide_rows_wrap", randn(2, 15))
add("noncontiguous_transpose", randn(3, 4), view="t")
add("requires_grad", randn(2, 2), requires_grad=True)
add("requires_grad_wrapped", randn(11), requires_grad=True)
add("requires_grad_float64", randn(3, dtype=torch.float64), requires_grad=True)
add("summarized_1d", randn(1001))
add("summarized_arange_2d", torch.arange(2000).reshape(40, 50).float())
add("summarized_3d", randn(10, 10, 20))
add("summarized_int64", torch.arange(5000))
add("summarized_one_dim_cut", randn(1001, 2))
add("summarized_wide", randn(2, 600))
add("summarized_sci", torch.logspace(-6, 6, 1200))
add("summarized_bool", torch.arange(1500) % 3 == 0)
add("not_summarized_1000", torch.arange(1000).float() / 8)

# Python's own number formatting (which torch uses) on doubles of every magnitude, ties and float32 values.
numbers = [0.03125, 2.5, 0.5, 1.5, -0.0, 9.99995, 99999.5, 0.000125, 1e-300, 5e-324, 1.7976931348623157e308,
           123456789.123, 2.0 ** 60, 0.1, -0.05, 1e22, 1e23]
numbers += [float(v) for v in torch.randn(120, generator=gen, dtype=torch.float64) * 10.0 ** torch.randint(-12, 13, (120,), generator=gen)]
numbers += [float(v) for v in (torch.rand(60, generator=gen) * 2000 - 1000).float()]
number_cases = [{"value": v, "f4": "{:.4f}".format(v), "e4": "{:.4e}".format(v), "f0": "{:.0f}".format(v)} for v in numbers]

path = os.path.join(OUT, "printing.json")
with open(path, "w") as f:
    json.dump({"generator": "tools/golden/printing.py", "torch": torch.__version__, "cases": cases, "numbers": number_cases}, f)
print(f"{path}: {len(cases)} cases")
