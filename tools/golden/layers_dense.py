"""Golden fixtures for the dense layers: Linear, Bilinear, Embedding, Dropout (eval and the p = 0 / p = 1 edges),
Identity/Flatten/Unflatten and weight norm. Parameters are passed as inputs (after the data inputs) so that their
gradients are recorded; the C# tests load them into the modules and compare the modules' parameter gradients."""
import torch
import torch.nn.functional as F
from common import Fixture

f = Fixture("layers_dense", seed=3)

# Linear: x, weight [out, in], bias [out]
W, b = f.randn(3, 4), f.randn(3)
f.case("linear_1d", lambda x, w, b: F.linear(x, w, b), f.randn(4), W, b)
f.case("linear_2d", lambda x, w, b: F.linear(x, w, b), f.randn(5, 4), W, b)
f.case("linear_3d", lambda x, w, b: F.linear(x, w, b), f.randn(2, 3, 4), W, b)
f.case("linear_no_bias", lambda x, w: F.linear(x, w), f.randn(5, 4), W)
f.case("linear_batch1", lambda x, w, b: F.linear(x, w, b), f.randn(1, 4), W, b)
f.case("linear_wide", lambda x, w, b: F.linear(x, w, b), f.randn(7, 33), f.randn(17, 33), f.randn(17))
f.case("linear_float64", lambda x, w, b: F.linear(x, w, b), f.randn(3, 4, dtype=torch.float64),
       f.randn(2, 4, dtype=torch.float64), f.randn(2, dtype=torch.float64))
# Non-contiguous operands: a transposed input, and (functional only) a transposed weight view.
f.case("linear_noncontiguous", lambda x, w, b: F.linear(x.t(), w, b), f.randn(4, 5), W, b)
f.case("linear_transposed_weight", lambda x, w, b: F.linear(x, w.t(), b), f.randn(5, 4), f.randn(4, 3), b)

# Bilinear: x1 [..., in1], x2 [..., in2], weight [out, in1, in2], bias [out]
A, c = f.randn(2, 3, 4), f.randn(2)
f.case("bilinear", lambda x1, x2, w, b: F.bilinear(x1, x2, w, b), f.randn(5, 3), f.randn(5, 4), A, c)
f.case("bilinear_3d_no_bias", lambda x1, x2, w: F.bilinear(x1, x2, w), f.randn(2, 3, 3), f.randn(2, 3, 4), A)
f.case("bilinear_1d", lambda x1, x2, w, b: F.bilinear(x1, x2, w, b), f.randn(3), f.randn(4), A, c)
f.case("bilinear_batch1", lambda x1, x2, w, b: F.bilinear(x1, x2, w, b), f.randn(1, 3), f.randn(1, 4), A, c)

# Embedding: index (int64, any shape), weight [num, dim]
E = f.randn(10, 3)
f.case("embedding", lambda i, w: F.embedding(i, w), torch.tensor([[1, 4, 4, 9], [0, 4, 2, 1]]), E)
f.case("embedding_padding", lambda i, w: F.embedding(i, w, padding_idx=0),
       torch.tensor([[0, 2, 0], [5, 2, 0]]), E)
f.case("embedding_padding_negative", lambda i, w: F.embedding(i, w, padding_idx=-1),
       torch.tensor([9, 3, 9, 3, 1]), E)
f.case("embedding_scalar_index", lambda i, w: F.embedding(i, w), torch.tensor(7), E)
f.case("embedding_3d_index", lambda i, w: F.embedding(i, w), f.randint(0, 10, 2, 2, 3), E)

# Dropout: eval is the identity; p = 0 and p = 1 are deterministic in training too.
f.case("dropout_eval", lambda x: F.dropout(x, 0.5, training=False), f.randn(4, 5))
f.case("dropout_train_p0", lambda x: F.dropout(x, 0.0, training=True), f.randn(4, 5))
f.case("dropout_train_p1", lambda x: F.dropout(x, 1.0, training=True), f.randn(4, 5))

# Shape layers.
f.case("identity", lambda x: torch.nn.Identity()(x), f.randn(2, 3))
f.case("flatten_default", lambda x: torch.nn.Flatten()(x), f.randn(2, 3, 4, 5))
f.case("flatten_range", lambda x: torch.nn.Flatten(0, 2)(x), f.randn(2, 3, 4, 5))
f.case("unflatten", lambda x: torch.nn.Unflatten(1, (3, -1))(x), f.randn(2, 12))


# Weight norm on a Linear(4, 3): x, weight_g, weight_v, bias. The check below confirms that torch's module hook
# computes the same weight as torch._weight_norm, so the fixture is the module's behaviour.
def weight_norm_linear(dim):
    def fn(x, g, v, b):
        return F.linear(x, torch._weight_norm(v, g, -1 if dim is None else dim), b)
    return fn


def g_of(v, dim):
    m = torch.nn.Linear(v.shape[1], v.shape[0])
    with torch.no_grad():
        m.weight.copy_(v)
    torch.nn.utils.weight_norm(m, dim=dim)
    return m.weight_g.detach().clone()


for dim, name in [(0, "weight_norm"), (1, "weight_norm_dim1"), (None, "weight_norm_dim_none")]:
    v = f.randn(3, 4)
    g = g_of(v, dim) * f.rand(*g_of(v, dim).shape, low=0.5, high=1.5)  # a trained g differs from ‖v‖
    x, bias = f.randn(5, 4), f.randn(3)
    m = torch.nn.utils.weight_norm(torch.nn.Linear(4, 3), dim=dim)
    with torch.no_grad():
        m.weight_g.copy_(g)
        m.weight_v.copy_(v)
        m.bias.copy_(bias)
    assert torch.allclose(m(x), weight_norm_linear(dim)(x, g, v, bias))
    f.case(name, weight_norm_linear(dim), x, g, v, bias)

f.save()
