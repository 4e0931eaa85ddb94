"""Golden fixtures for the movement and indexing family: cat/stack, split/chunk, flip, gather/scatter,
index_select/index_add and one_hot. Index tensors are inputs too (int64, never differentiated)."""
import torch
import torch.nn.functional as F
from common import Fixture

f = Fixture("indexing", seed=7)


def distinct_rows(n, k, cols):
    """An index of shape [k, cols] whose entries are distinct within each column (scatter is only defined then)."""
    return f.rand(n, cols).argsort(0)[:k]


def distinct_cols(rows, n, k):
    return f.rand(rows, n).argsort(1)[:, :k]


# cat / stack
f.case("cat_dim0", lambda a, b: torch.cat([a, b], 0), f.randn(2, 3), f.randn(4, 3))
f.case("cat_three_dim1", lambda a, b, c: torch.cat([a, b, c], 1), f.randn(2, 1, 3), f.randn(2, 4, 3), f.randn(2, 2, 3))
f.case("cat_negative_dim", lambda a, b: torch.cat([a, b], -1), f.randn(2, 3, 2), f.randn(2, 3, 5))
f.case("cat_noncontiguous", lambda a, b: torch.cat([a.t(), b], 0), f.randn(3, 2), f.randn(5, 3))
f.case("cat_promotes", lambda a, b: torch.cat([a, b], 1), f.randn(2, 3), f.randn(2, 2, dtype=torch.float64))
f.case("cat_int64", lambda a, b: torch.cat([a, b], 0), f.randint(-9, 9, 2, 3), f.randint(-9, 9, 1, 3))
f.case("cat_skips_legacy_empty", lambda a, b: torch.cat([a, b], 1), torch.zeros(0), f.randn(2, 3))
f.case("stack_dim0", lambda a, b, c: torch.stack([a, b, c], 0), f.randn(2, 3), f.randn(2, 3), f.randn(2, 3))
f.case("stack_negative_dim", lambda a, b: torch.stack([a, b], -1), f.randn(2, 3), f.randn(2, 3))
f.case("stack_noncontiguous", lambda a, b: torch.stack([a.t(), b], 1), f.randn(4, 3), f.randn(3, 4))

# split / chunk (views): one part, or every part weighted differently so each view's gradient is distinct
f.case("split_last_part", lambda x: x.split(2, -1)[-1], f.randn(3, 5))
f.case("split_sizes_part", lambda x: x.split([1, 3, 2], 0)[1], f.randn(6, 2))
f.case("split_weighted", lambda x: torch.cat([p * (i + 1) for i, p in enumerate(x.split(2, 1))], 1), f.randn(2, 5, 3))
f.case("chunk_weighted", lambda x: torch.cat([p * (i + 1) for i, p in enumerate(x.chunk(3, 0))], 0), f.randn(7, 2))
f.case("chunk_noncontiguous", lambda x: x.t().chunk(2, 1)[1], f.randn(5, 3))

# flip
f.case("flip_one", lambda x: x.flip(1), f.randn(3, 4))
f.case("flip_many_negative", lambda x: x.flip(0, -1), f.randn(2, 3, 4))
f.case("flip_noncontiguous", lambda x: x.permute(2, 0, 1).flip(1), f.randn(3, 4, 2))
f.case("flip_int64", lambda x: x.flip(0), f.randint(-9, 9, 4, 2))

# gather
f.case("gather_dim0", lambda x, i: x.gather(0, i), f.randn(4, 3), f.randint(0, 4, 5, 3))
f.case("gather_dim1_smaller_index", lambda x, i: x.gather(1, i), f.randn(4, 5), f.randint(0, 5, 2, 3))
f.case("gather_negative_dim", lambda x, i: x.gather(-1, i), f.randn(2, 3, 4), f.randint(0, 4, 2, 3, 6))
f.case("gather_noncontiguous_input", lambda x, i: x.t().gather(1, i), f.randn(5, 3), f.randint(0, 5, 3, 2))
f.case("gather_noncontiguous_index", lambda x, i: x.gather(0, i.t()), f.randn(4, 3), f.randint(0, 4, 3, 4))
f.case("gather_repeated", lambda x, i: x.gather(1, i), f.randn(2, 3), torch.tensor([[0, 0, 0, 2], [1, 1, 2, 1]]))
f.case("gather_float64", lambda x, i: x.gather(1, i), f.randn(3, 4, dtype=torch.float64), f.randint(0, 4, 3, 2))
f.case("gather_int64", lambda x, i: x.gather(0, i), f.randint(-9, 9, 3, 4), f.randint(0, 3, 2, 4))

# scatter (indices distinct along the scattered dim, where PyTorch defines the result)
f.case("scatter_dim0", lambda s, i, src: s.scatter(0, i, src), f.randn(4, 5), distinct_rows(4, 3, 5), f.randn(3, 5))
f.case("scatter_dim1_smaller_index", lambda s, i, src: s.scatter(1, i, src), f.randn(3, 6), distinct_cols(2, 6, 3), f.randn(2, 3))
f.case("scatter_negative_dim_noncontiguous", lambda s, i, src: s.t().scatter(-1, i, src.t()),
       f.randn(5, 2), distinct_cols(2, 5, 4), f.randn(4, 2))
f.case("scatter_value", lambda s, i: s.scatter(1, i, 2.5), f.randn(3, 4), distinct_cols(3, 4, 2))
f.case("scatter_float64", lambda s, i, src: s.scatter(0, i, src), f.randn(3, 2, dtype=torch.float64),
       distinct_rows(3, 2, 2), f.randn(2, 2, dtype=torch.float64))
f.case("scatter_int64", lambda s, i, src: s.scatter(0, i, src), f.randint(-9, 9, 3, 2), distinct_rows(3, 3, 2), f.randint(-9, 9, 3, 2))

# scatter_add (repeated indices accumulate)
f.case("scatter_add_repeated", lambda s, i, src: s.scatter_add(0, i, src), f.randn(3, 4), f.randint(0, 3, 6, 4), f.randn(6, 4))
f.case("scatter_add_dim1", lambda s, i, src: s.scatter_add(1, i, src), f.randn(2, 3), torch.tensor([[0, 0, 2, 0], [1, 1, 1, 2]]), f.randn(2, 4))
f.case("scatter_add_noncontiguous", lambda s, i, src: s.scatter_add(-2, i, src.t()), f.randn(3, 4), f.randint(0, 3, 5, 4), f.randn(4, 5))
f.case("scatter_add_float64", lambda s, i, src: s.scatter_add(2, i, src), f.randn(2, 2, 3, dtype=torch.float64),
       f.randint(0, 3, 2, 2, 5), f.randn(2, 2, 5, dtype=torch.float64))
f.case("scatter_add_int64", lambda s, i, src: s.scatter_add(0, i, src), f.randint(-9, 9, 2, 3), f.randint(0, 2, 4, 3), f.randint(-9, 9, 4, 3))

# index_select / index_add
f.case("index_select_dim0", lambda x, i: x.index_select(0, i), f.randn(5, 3), torch.tensor([4, 0, 2]))
f.case("index_select_repeated", lambda x, i: x.index_select(1, i), f.randn(2, 4, 3), torch.tensor([1, 3, 1, 1, 0]))
f.case("index_select_negative_dim", lambda x, i: x.index_select(-1, i), f.randn(2, 3, 4), torch.tensor([3, 3, 0]))
f.case("index_select_noncontiguous", lambda x, i: x.t().index_select(0, i), f.randn(3, 5), torch.tensor([2, 4, 2]))
f.case("index_select_float64", lambda x, i: x.index_select(0, i), f.randn(4, 2, dtype=torch.float64), torch.tensor([3, 1, 3]))
f.case("index_select_int64", lambda x, i: x.index_select(1, i), f.randint(-9, 9, 2, 5), torch.tensor([4, 4, 0]))
f.case("index_add_repeated", lambda s, i, src: s.index_add(1, i, src), f.randn(2, 4, 3), torch.tensor([3, 0, 3, 3]), f.randn(2, 4, 3))
f.case("index_add_float64", lambda s, i, src: s.index_add(0, i, src), f.randn(3, 2, dtype=torch.float64), torch.tensor([2, 2]),
       f.randn(2, 2, dtype=torch.float64))

# one_hot (int64 output, no gradient)
f.case("one_hot", lambda i: F.one_hot(i, 5), torch.tensor([[0, 4, 2], [1, 1, 3]]))
f.case("one_hot_infer", lambda i: F.one_hot(i), torch.tensor([3, 0, 1, 3]))
f.save()
