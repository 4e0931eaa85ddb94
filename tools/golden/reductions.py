"""Golden fixtures for the reductions family: max/min (values, indices), argmax/argmin, prod, var/std, logsumexp.

Ops returning (values, indices) are recorded as two cases, NAME_values (with gradients) and NAME_indices.
Inputs that feed gradients avoid ties unless the case is about ties (where PyTorch's rule is the point).
"""
import torch
from common import Fixture

f = Fixture("reductions", seed=7)
f64 = torch.float64


def ties(*shape, dtype=torch.float32):
    """Small integers as floats: plenty of ties."""
    return f.randint(-3, 4, *shape).to(dtype)


def both(name, fn, x):
    f.case(name + "_values", lambda t: fn(t).values, x)
    f.case(name + "_indices", lambda t: fn(t).indices, x)


# max / min over all elements (0-d); ties share the gradient evenly.
f.case("max_all", lambda x: x.max(), f.randn(3, 4, 5))
f.case("min_all", lambda x: x.min(), f.randn(3, 4, 5))
f.case("max_all_float64", lambda x: x.max(), f.randn(4, 6, dtype=f64))
f.case("min_all_float64", lambda x: x.min(), f.randn(4, 6, dtype=f64))
f.case("max_all_ties", lambda x: x.max(), torch.tensor([[1.0, 5.0, 2.0], [5.0, 0.0, 5.0]]))
f.case("min_all_ties", lambda x: x.min(), torch.tensor([[-1.0, 5.0, -1.0], [2.0, 0.0, 3.0]], dtype=f64))
f.case("max_all_noncontiguous", lambda x: x.t()[1:].max(), f.randn(5, 4))
f.case("max_all_int", lambda x: x.max(), f.randint(-50, 50, 3, 7))
f.case("min_all_int", lambda x: x.min(), f.randint(-50, 50, 3, 7))
f.case("max_all_scalar", lambda x: x.max(), f.randn(1).reshape(()))

# max / min along a dim: values (with gradient to the chosen element) and int64 indices.
both("max_dim", lambda x: x.max(1), f.randn(3, 4, 5))
both("max_dim_keepdim", lambda x: x.max(-1, keepdim=True), f.randn(3, 4, 5))
both("max_dim0", lambda x: x.max(0), f.randn(6, 5))
both("min_dim", lambda x: x.min(2), f.randn(3, 4, 5))
both("min_dim_negative_keepdim", lambda x: x.min(-2, keepdim=True), f.randn(3, 4, 5, dtype=f64))
both("max_dim_float64", lambda x: x.max(0), f.randn(5, 3, dtype=f64))
both("max_dim_noncontiguous", lambda x: x.permute(2, 0, 1).max(1), f.randn(3, 4, 5))
both("min_dim_noncontiguous", lambda x: x.t().min(-1, keepdim=True), f.randn(6, 4))
both("max_dim_ties", lambda x: x.max(1), ties(4, 6))
both("min_dim_ties", lambda x: x.min(0, keepdim=True), ties(5, 3, dtype=f64))
both("max_dim_int", lambda x: x.max(1), f.randint(-9, 9, 4, 5))
both("min_dim_int", lambda x: x.min(0), f.randint(-9, 9, 4, 5))
both("max_dim_scalar", lambda x: x.max(0), f.randn(1).reshape(()))
both("max_dim_empty_other", lambda x: x.max(1), torch.zeros(0, 3))

# argmax / argmin: flat index over all elements, or indices along a dim.
f.case("argmax_all", lambda x: x.argmax(), f.randn(3, 4, 5))
f.case("argmin_all", lambda x: x.argmin(), f.randn(3, 4, 5))
f.case("argmax_all_keepdim", lambda x: x.argmax(keepdim=True), f.randn(3, 4))
f.case("argmax_all_noncontiguous", lambda x: x.t().argmax(), f.randn(4, 5))
f.case("argmax_all_ties", lambda x: x.argmax(), ties(4, 5))
f.case("argmax_dim", lambda x: x.argmax(1), f.randn(3, 4, 5))
f.case("argmax_dim_negative_keepdim", lambda x: x.argmax(-1, keepdim=True), f.randn(3, 4, 5, dtype=f64))
f.case("argmin_dim", lambda x: x.argmin(0), f.randn(4, 5))
f.case("argmin_dim_noncontiguous", lambda x: x.permute(1, 0, 2).argmin(2), f.randn(3, 4, 5))
f.case("argmax_int", lambda x: x.argmax(), f.randint(-50, 50, 4, 6))
f.case("argmax_dim_int", lambda x: x.argmax(0), f.randint(-3, 3, 5, 6))
f.case("argmin_dim_ties", lambda x: x.argmin(1), ties(4, 7))

# prod, including slices with one and with two zeros (the gradient must not divide by zero).
def with_zeros(x, *positions):
    x = x.clone()
    for p in positions:
        x[p] = 0.0
    return x

f.case("prod_all", lambda x: x.prod(), f.rand(3, 4, low=0.5, high=1.5))
f.case("prod_dim", lambda x: x.prod(1), f.randn(3, 4, 5))
f.case("prod_dim_negative_keepdim", lambda x: x.prod(-1, keepdim=True), f.randn(3, 4, 5))
f.case("prod_dim0_float64", lambda x: x.prod(0), f.randn(4, 5, dtype=f64))
f.case("prod_noncontiguous", lambda x: x.t().prod(0), f.randn(5, 4))
f.case("prod_all_one_zero", lambda x: x.prod(), with_zeros(f.rand(2, 3, low=0.5, high=2.0), (0, 1)))
f.case("prod_all_two_zeros", lambda x: x.prod(), with_zeros(f.rand(2, 3, low=0.5, high=2.0), (0, 1), (1, 0)))
f.case("prod_dim_zeros", lambda x: x.prod(1), with_zeros(f.randn(4, 5, dtype=f64), (0, 2), (1, 0), (1, 3)))
f.case("prod_dim_keepdim_zeros", lambda x: x.prod(0, keepdim=True), with_zeros(f.randn(3, 4), (1, 1), (2, 3)))
f.case("prod_int", lambda x: x.prod(), f.randint(-4, 5, 2, 5))
f.case("prod_dim_int", lambda x: x.prod(1), f.randint(-4, 5, 3, 4))
f.case("prod_bool", lambda x: x.prod(0), f.randint(0, 2, 3, 4).bool())
f.case("sum_all_int", lambda x: x.sum(), f.randint(-9, 9, 3, 5))

# var / std: unbiased by default, unbiased=False, explicit correction, several dims with keepdim.
f.case("var_all", lambda x: x.var(), f.randn(3, 4, 5))
f.case("var_all_biased", lambda x: x.var(unbiased=False), f.randn(4, 5))
f.case("var_dim", lambda x: x.var(1), f.randn(3, 4, 5))
f.case("var_dim_negative_keepdim", lambda x: x.var(-1, keepdim=True), f.randn(3, 4, 5))
f.case("var_dims_keepdim", lambda x: x.var((0, 2), keepdim=True), f.randn(3, 4, 5))
f.case("var_dims_biased", lambda x: x.var((-1, 0), unbiased=False), f.randn(3, 4, 5))
f.case("var_correction", lambda x: torch.var(x, (1,), correction=2), f.randn(3, 6))
f.case("var_float64", lambda x: x.var(0), f.randn(5, 4, dtype=f64))
f.case("var_noncontiguous", lambda x: x.permute(2, 0, 1).var(1), f.randn(3, 4, 5))
f.case("std_all", lambda x: x.std(), f.randn(3, 4, 5))
f.case("std_all_biased", lambda x: x.std(unbiased=False), f.randn(4, 5, dtype=f64))
f.case("std_dim", lambda x: x.std(0), f.randn(5, 4))
f.case("std_dim_negative_keepdim", lambda x: x.std(-2, keepdim=True), f.randn(3, 4, 5))
f.case("std_dims_correction", lambda x: torch.std(x, (0, 1), correction=0, keepdim=True), f.randn(3, 4, 2))
f.case("std_float64", lambda x: x.std(1), f.randn(4, 6, dtype=f64))
f.case("std_noncontiguous", lambda x: x.t().std(1), f.randn(5, 4))

# logsumexp: stable for large magnitudes; gradient is softmax.
f.case("logsumexp_dim", lambda x: x.logsumexp(1), f.randn(3, 4, 5))
f.case("logsumexp_dim_negative_keepdim", lambda x: x.logsumexp(-1, keepdim=True), f.randn(3, 4, 5))
f.case("logsumexp_dims", lambda x: x.logsumexp((0, 2)), f.randn(3, 4, 5))
f.case("logsumexp_dims_keepdim", lambda x: x.logsumexp((-1, 1), keepdim=True), f.randn(2, 3, 4))
f.case("logsumexp_large", lambda x: x.logsumexp(1), f.randn(3, 5) * 50 + torch.tensor([[1000.0], [-1000.0], [0.0]]))
f.case("logsumexp_float64", lambda x: x.logsumexp(0), f.randn(6, 3, dtype=f64) * 300)
f.case("logsumexp_noncontiguous", lambda x: x.t().logsumexp(0), f.randn(5, 4))
f.case("logsumexp_int", lambda x: x.logsumexp(1), f.randint(-5, 5, 3, 4))
f.save()
