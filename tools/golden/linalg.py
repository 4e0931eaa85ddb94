"""Golden fixtures for matmul (every rank combination, broadcast batches, transposed and strided views), mm, bmm and outer."""
import torch
from common import Fixture

f = Fixture("linalg", seed=3)
mm = lambda x, y: x @ y

# Rank combinations (PyTorch's matmul rules).
f.case("dot_1d_1d", mm, f.randn(5), f.randn(5))
f.case("mv_2d_1d", mm, f.randn(3, 4), f.randn(4))
f.case("vm_1d_2d", mm, f.randn(4), f.randn(4, 5))
f.case("mm_2d_2d", mm, f.randn(3, 4), f.randn(4, 5))
f.case("mm_tile_edges", mm, f.randn(17, 33), f.randn(33, 40))
f.case("vm_1d_3d", mm, f.randn(4), f.randn(2, 4, 5))
f.case("mv_3d_1d", mm, f.randn(2, 3, 4), f.randn(4))
f.case("batched_3d_3d", mm, f.randn(2, 3, 4), f.randn(2, 4, 5))
f.case("batched_3d_2d", mm, f.randn(2, 3, 4), f.randn(4, 5))
f.case("batched_2d_3d", mm, f.randn(3, 4), f.randn(2, 4, 5))
f.case("batched_4d_2d", mm, f.randn(2, 3, 4, 6), f.randn(6, 5))
f.case("batched_2d_4d", mm, f.randn(3, 4), f.randn(2, 3, 4, 5))
f.case("broadcast_batch_4d_3d", mm, f.randn(2, 1, 3, 4), f.randn(3, 4, 5))
f.case("broadcast_batch_both_ones", mm, f.randn(1, 3, 2, 4), f.randn(2, 1, 4, 3))
f.case("many_small_products", mm, f.randn(2, 32, 32), f.randn(2, 32, 32))

# Non-contiguous operands: transposes ride on GEMM's flags, strided ones are copied.
f.case("mm_transposed_a", lambda x, y: x.t() @ y, f.randn(4, 3), f.randn(4, 5))
f.case("mm_transposed_b", lambda x, y: x @ y.t(), f.randn(3, 4), f.randn(5, 4))
f.case("mm_transposed_both", lambda x, y: x.t() @ y.t(), f.randn(4, 3), f.randn(5, 4))
f.case("batched_transposed", lambda x, y: x.transpose(-1, -2) @ y, f.randn(2, 4, 3), f.randn(2, 4, 5))
f.case("batched_permuted_batch", lambda x, y: x.permute(1, 0, 2) @ y, f.randn(3, 2, 4), f.randn(4, 5))
f.case("transposed_batched_2d", lambda x, y: x @ y.t(), f.randn(2, 3, 4), f.randn(5, 4))
f.case("strided_both_dims", lambda x, y: x[::2, ::2] @ y, f.randn(6, 8), f.randn(4, 3))
f.case("expanded_rows", lambda x, y: x.expand(3, 4) @ y, f.randn(1, 4), f.randn(4, 5))
f.case("vector_from_column", lambda x, y: x[:, 1] @ y, f.randn(4, 3), f.randn(4, 2))

# Types and empty shapes.
f.case("mm_float64", mm, f.randn(3, 4, dtype=torch.float64), f.randn(4, 2, dtype=torch.float64))
f.case("mm_int64", mm, f.randint(-5, 5, 3, 4), f.randint(-5, 5, 4, 2))
f.case("batched_int64", mm, f.randint(-5, 5, 2, 3, 4), f.randint(-5, 5, 4))
f.case("empty_inner", mm, f.randn(2, 0), f.randn(0, 3))
f.case("empty_rows", mm, f.randn(0, 3), f.randn(3, 4))
f.case("empty_batch", mm, f.randn(0, 2, 3), f.randn(3, 4))

# mm, bmm, outer.
f.case("mm", lambda x, y: torch.mm(x, y), f.randn(3, 4), f.randn(4, 2))
f.case("bmm", lambda x, y: torch.bmm(x, y), f.randn(3, 2, 4), f.randn(3, 4, 5))
f.case("bmm_transposed", lambda x, y: torch.bmm(x, y.transpose(1, 2)), f.randn(3, 2, 4), f.randn(3, 5, 4))
f.case("outer", lambda x, y: torch.outer(x, y), f.randn(4), f.randn(3))
f.case("outer_promotes", lambda x, y: torch.outer(x, y), f.randn(4), f.randn(3, dtype=torch.float64))
f.case("outer_noncontiguous", lambda x, y: torch.outer(x[::2], y), f.randn(6), f.randn(2))
f.case("chain_linear_layer", lambda x, w, b: (x @ w.t() + b).exp().sum(-1), f.randn(2, 3, 4) * 0.5, f.randn(5, 4) * 0.5, f.randn(5))
f.save()
