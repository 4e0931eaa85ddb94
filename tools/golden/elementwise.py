"""Golden fixtures for the elementwise family: pow, sqrt, abs, sign, trig, activations, clamp,
maximum/minimum, comparisons, where, masked_fill and the logical ops (PyTorch 1.13 semantics)."""
import torch
from common import Fixture

f = Fixture("elementwise", seed=2)
f64 = torch.float64


def away_from_zero(*shape, dtype=torch.float32):
    """randn pushed away from 0 so kinks (abs, relu, sign) are not hit by accident."""
    x = f.randn(*shape, dtype=dtype)
    return x + 0.2 * torch.sign(x)


# pow
f.case("pow_scalar_int", lambda x: x ** 3, f.randn(3, 4))
f.case("pow_square", lambda x: x ** 2, f.randn(3, 4))
f.case("pow_scalar_fractional", lambda x: x ** 2.5, f.rand(3, 4, low=0.2, high=2.0))
f.case("pow_scalar_negative", lambda x: x ** -1.5, f.rand(5, low=0.5, high=2.0))
f.case("pow_tensor", lambda x, y: x ** y, f.rand(3, 4, low=0.2, high=2.0), f.randn(3, 4))
f.case("pow_tensor_broadcast", lambda x, y: x ** y, f.rand(2, 3, 1, low=0.2, high=2.0), f.randn(4))
f.case("pow_zero_base", lambda x, y: x ** y, torch.tensor([0.0, 0.0, 1.5, 2.0, 0.0]), torch.tensor([0.0, 2.0, 0.0, 3.0, 1.0]))
f.case("pow_noncontiguous", lambda x, y: x.t() ** y, f.rand(4, 3, low=0.2, high=2.0), f.randn(3, 4))
f.case("pow_float64", lambda x, y: x ** y, f.rand(3, 4, low=0.2, high=2.0, dtype=f64), f.randn(4, dtype=f64))
f.case("pow_int", lambda x: x ** 3, f.randint(-5, 6, 3, 4))
f.case("pow_int_tensor", lambda x, y: x ** y, torch.tensor([2, -3, 1, -1, -1, 0, 5]), torch.tensor([10, 3, -4, -3, -2, 0, -1]))
f.case("pow_int_float_scalar", lambda x: x ** 0.5, f.randint(0, 10, 6))
f.case("rpow_scalar", lambda x: torch.pow(2.0, x), f.randn(3, 4))

# unary math
f.case("sqrt", lambda x: x.sqrt(), f.rand(3, 4, low=0.1, high=4.0))
f.case("sqrt_float64", lambda x: x.sqrt(), f.rand(6, low=0.1, high=4.0, dtype=f64))
f.case("sqrt_int", lambda x: x.sqrt(), f.randint(0, 20, 5))
f.case("abs", lambda x: x.abs(), away_from_zero(3, 4))
f.case("abs_noncontiguous", lambda x: x.t().abs(), away_from_zero(4, 3))
f.case("abs_int", lambda x: x.abs(), f.randint(-9, 9, 7))
f.case("sign", lambda x: x.sign(), torch.tensor([-2.5, 0.0, 3.0, -0.1, 0.0, 7.0]))
f.case("sign_int", lambda x: x.sign(), f.randint(-3, 4, 8))
f.case("sin", lambda x: x.sin(), f.randn(3, 4) * 2)
f.case("sin_noncontiguous", lambda x: x.permute(1, 0, 2).sin(), f.randn(2, 3, 4) * 2)
f.case("sin_int", lambda x: x.sin(), f.randint(-5, 5, 6))
f.case("cos", lambda x: x.cos(), f.randn(3, 4) * 2)
f.case("cos_float64", lambda x: x.cos(), f.randn(3, 4, dtype=f64) * 2)
f.case("tanh", lambda x: x.tanh(), f.randn(3, 4) * 2)
f.case("tanh_float64", lambda x: x.tanh(), f.randn(40, dtype=f64) * 2)
f.case("tanh_noncontiguous", lambda x: x.t().tanh(), f.randn(5, 3))
f.case("sigmoid", lambda x: x.sigmoid(), f.randn(3, 4) * 3)
f.case("sigmoid_float64", lambda x: x.sigmoid(), f.randn(40, dtype=f64) * 3)
f.case("sigmoid_int", lambda x: x.sigmoid(), f.randint(-5, 5, 6))
f.case("relu", lambda x: x.relu(), away_from_zero(37))
f.case("relu_at_zero", lambda x: x.relu(), torch.tensor([-1.0, 0.0, 2.0, 0.0]))
f.case("relu_noncontiguous", lambda x: x[:, ::2].relu(), away_from_zero(3, 8))
f.case("relu_int", lambda x: x.relu(), f.randint(-5, 5, 7))
f.case("tanh_sigmoid_relu_chain", lambda x: (x.tanh() * x.sigmoid()).relu() + x.sin() * x.cos(), f.randn(4, 5))

# clamp
f.case("clamp", lambda x: x.clamp(-0.5, 0.5), f.randn(3, 4))
f.case("clamp_min", lambda x: x.clamp(min=0.1), f.randn(3, 4))
f.case("clamp_max", lambda x: x.clamp(max=-0.2), f.randn(3, 4))
f.case("clamp_at_bounds", lambda x: x.clamp(-0.5, 0.5), torch.tensor([-1.0, -0.5, 0.0, 0.5, 1.0]))
f.case("clamp_min_above_max", lambda x: x.clamp(1.0, -1.0), f.randn(5))
f.case("clamp_noncontiguous", lambda x: x.t().clamp(-0.3, 0.6), f.randn(4, 3))
f.case("clamp_float64", lambda x: x.clamp(-1.0, 0.25), f.randn(3, 4, dtype=f64))
f.case("clamp_int", lambda x: x.clamp(-2, 3), f.randint(-6, 6, 9))
f.case("clamp_int_float_bound", lambda x: x.clamp(min=0.5), f.randint(-3, 3, 6))

# maximum / minimum (ties split the gradient)
ta, tb = f.randn(3, 4), f.randn(3, 4)
tb[0, :2] = ta[0, :2]
tb[2, 3] = ta[2, 3]
f.case("maximum", lambda x, y: torch.maximum(x, y), ta, tb)
f.case("minimum", lambda x, y: torch.minimum(x, y), ta, tb)
f.case("maximum_broadcast", lambda x, y: torch.maximum(x, y), f.randn(2, 3, 1), f.randn(4))
f.case("minimum_broadcast", lambda x, y: torch.minimum(x, y), f.randn(3, 1), f.randn(1, 5))
f.case("maximum_tie_broadcast", lambda x, y: torch.maximum(x, y), torch.tensor([[1.0], [2.0]]), torch.tensor([1.0, 2.0, 0.0]))
f.case("maximum_noncontiguous", lambda x, y: torch.maximum(x.t(), y), f.randn(4, 3), f.randn(3, 4))
f.case("minimum_float64", lambda x, y: torch.minimum(x, y), f.randn(3, 4, dtype=f64), f.randn(4, dtype=f64))
f.case("maximum_int", lambda x, y: torch.maximum(x, y), f.randint(-5, 5, 3, 4), f.randint(-5, 5, 4))
f.case("minimum_int_float", lambda x, y: torch.minimum(x, y), f.randint(-2, 2, 3, 4), f.randn(3, 4))

# comparisons
ca, cb = f.randint(-2, 3, 3, 4).float(), f.randint(-2, 3, 4).float()
for name, fn in [("eq", torch.eq), ("ne", torch.ne), ("lt", torch.lt), ("le", torch.le), ("gt", torch.gt), ("ge", torch.ge)]:
    f.case(name, fn, ca, cb)
    f.case(name + "_scalar", lambda x, fn=fn: fn(x, 1.0), ca)
f.case("lt_int", lambda x, y: x < y, f.randint(-3, 3, 3, 4), f.randint(-3, 3, 3, 1))
f.case("ge_int_scalar", lambda x: x >= 1, f.randint(-3, 3, 8))
f.case("lt_int_float_scalar", lambda x: x < 0.5, f.randint(-2, 3, 8))
f.case("gt_noncontiguous", lambda x, y: x.t() > y, f.randn(4, 3), f.randn(3, 4))
f.case("le_float64", lambda x, y: x <= y, ca.double(), f.randn(4, dtype=f64))
f.case("eq_bool", lambda x, y: x == y, f.randn(6) > 0, f.randn(6) > 0)
f.case("eq_int_float", lambda x, y: x == y, torch.tensor([1, 2, 3]), torch.tensor([1.0, 2.5, 3.0]))
f.case("rlt_scalar", lambda x: 0.25 < x, f.randn(5))

# where / masked_fill
f.case("where", lambda c, x, y: torch.where(c, x, y), f.randn(3, 4) > 0, f.randn(3, 4), f.randn(3, 4))
f.case("where_broadcast", lambda c, x, y: torch.where(c, x, y), f.randn(3, 1) > 0, f.randn(1, 4), f.randn(2, 1, 1))
f.case("where_scalar_other", lambda c, x: torch.where(c, x, 0.0), f.randn(5) > 0, f.randn(2, 5))
f.case("where_scalar_input", lambda c, y: torch.where(c, -1.0, y), f.randn(4) > 0, f.randn(4))
f.case("where_promotes", lambda c, x, y: torch.where(c, x, y), f.randn(6) > 0, f.randint(-5, 5, 6), f.randn(6))
f.case("where_int", lambda c, x, y: torch.where(c, x, y), f.randn(3, 4) > 0, f.randint(-5, 5, 3, 4), f.randint(-5, 5, 4))
f.case("where_noncontiguous", lambda c, x, y: torch.where(c.t(), x[:, ::2], y), f.randn(4, 3) > 0, f.randn(3, 8), f.randn(3, 4))
f.case("where_float64", lambda c, x, y: torch.where(c, x, y), f.randn(3, 4) > 0, f.randn(3, 4, dtype=f64), f.randn(1, dtype=f64))
f.case("masked_fill", lambda x, m: x.masked_fill(m, -1.5), f.randn(3, 4), f.randn(3, 4) > 0)
f.case("masked_fill_broadcast_mask", lambda x, m: x.masked_fill(m, 0.0), f.randn(3, 4), f.randn(4) > 0)
f.case("masked_fill_broadcast_input", lambda x, m: x.masked_fill(m, 2.0), f.randn(4), f.randn(3, 4) > 0)
f.case("masked_fill_noncontiguous", lambda x, m: x.t().masked_fill(m, 9.0), f.randn(4, 3), f.randn(3, 1) > 0)
f.case("masked_fill_int", lambda x, m: x.masked_fill(m, 2.7), f.randint(-5, 5, 6), f.randn(6) > 0)
f.case("masked_fill_float64", lambda x, m: x.masked_fill(m, 3.0), f.randn(2, 3, dtype=f64), f.randn(2, 1) > 0)

# logical ops
f.case("logical_not", lambda m: ~m, f.randn(3, 5) > 0)
f.case("logical_not_noncontiguous", lambda m: torch.logical_not(m.t()), f.randn(5, 3) > 0)
f.case("logical_and", lambda a, b: a & b, f.randn(3, 4) > 0, f.randn(3, 4) > 0)
f.case("logical_or", lambda a, b: a | b, f.randn(3, 4) > 0, f.randn(3, 4) > 0)
f.case("logical_and_broadcast", lambda a, b: torch.logical_and(a, b), f.randn(3, 1) > 0, f.randn(4) > 0)
f.case("logical_or_noncontiguous", lambda a, b: torch.logical_or(a.t(), b), f.randn(4, 3) > 0, f.randn(3, 4) > 0)
f.case("mask_composition", lambda x: torch.where((x > -0.5) & ~(x > 0.5), x * 2, x.clamp(-0.1, 0.1)), f.randn(4, 5))
f.save()
