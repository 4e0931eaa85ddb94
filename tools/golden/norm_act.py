"""Golden fixtures for the activations (issue 3) and the normalisation layers.

Module cases pass the parameters (and the initial running statistics) as inputs so that their gradients are
recorded. A BatchNorm training case returns cat(y.flatten(), running_mean, running_var, num_batches_tracked):
the running statistics after the step are compared with the output, while the upstream gradient of the
statistics' part reaches nothing (they are not differentiable), so the recorded gradients are those of y.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from common import Fixture

f = Fixture("norm_act", seed=3)


def with_zeros(x):
    """x with a few exact zeros, to pin the convention at the kink."""
    x = x.clone()
    x.view(-1)[::5] = 0.0
    return x


# ---- activations ---------------------------------------------------------------------------------------------
x34 = f.randn(3, 4) * 2
f.case("sigmoid", torch.sigmoid, x34)
f.case("tanh", torch.tanh, x34)
f.case("relu", F.relu, with_zeros(x34))
f.case("leaky_relu", F.leaky_relu, with_zeros(f.randn(4, 5)))
f.case("leaky_relu_slope", lambda x: F.leaky_relu(x, 0.2), f.randn(2, 3, 4))
f.case("leaky_relu_float64", lambda x: F.leaky_relu(x, 0.05), f.randn(3, 4, dtype=torch.float64))
f.case("leaky_relu_noncontiguous", lambda x: F.leaky_relu(x.t()), f.randn(4, 3))
f.case("prelu_shared", lambda x, w: F.prelu(x, w), with_zeros(f.randn(2, 3, 4)), torch.tensor([0.25]))
f.case("prelu_per_channel", lambda x, w: F.prelu(x, w), with_zeros(f.randn(2, 3, 4, 2)), f.rand(3, low=0.05, high=0.5))
f.case("prelu_per_channel_2d", lambda x, w: F.prelu(x, w), f.randn(5, 4), f.rand(4, low=0.05, high=0.5))
f.case("prelu_float64", lambda x, w: F.prelu(x, w), f.randn(3, 2, 4, dtype=torch.float64), f.rand(2, low=0.05, high=0.5, dtype=torch.float64))
f.case("elu", F.elu, with_zeros(f.randn(3, 5) * 2))
f.case("elu_alpha", lambda x: F.elu(x, 0.5), f.randn(3, 5) * 2)
f.case("elu_float64", F.elu, f.randn(3, 5, dtype=torch.float64) * 2)
f.case("selu", F.selu, with_zeros(f.randn(3, 5) * 2))
f.case("selu_float64", F.selu, f.randn(4, 3, dtype=torch.float64) * 2)
f.case("gelu", F.gelu, f.randn(4, 5) * 2)
f.case("gelu_tanh", lambda x: F.gelu(x, approximate="tanh"), f.randn(4, 5) * 2)
f.case("gelu_float64", F.gelu, f.randn(4, 5, dtype=torch.float64) * 3)
f.case("gelu_tanh_float64", lambda x: F.gelu(x, approximate="tanh"), f.randn(4, 5, dtype=torch.float64) * 3)
f.case("gelu_large", F.gelu, torch.tensor([-40.0, -12.0, -6.5, -3.0, 0.0, 3.0, 6.5, 12.0, 40.0]))
f.case("silu", F.silu, f.randn(3, 5) * 3)
f.case("silu_float64", F.silu, f.randn(3, 5, dtype=torch.float64) * 3)
f.case("softplus", F.softplus, with_zeros(f.randn(3, 5) * 3))
f.case("softplus_beta_threshold", lambda x: F.softplus(x, beta=2, threshold=5), f.randn(3, 5) * 3)
f.case("softplus_large", F.softplus, torch.tensor([-1000.0, -100.0, -30.0, -1.0, 0.0, 1.0, 19.5, 20.0, 20.5, 30.0, 100.0, 1000.0]))
f.case("softplus_float64", lambda x: F.softplus(x, beta=0.5, threshold=10), f.randn(4, 4, dtype=torch.float64) * 10)
f.case("softmax", lambda x: F.softmax(x, 1), f.randn(3, 5))
f.case("softmax_dim0", lambda x: F.softmax(x, 0), f.randn(3, 5))
f.case("softmax_middle_dim", lambda x: F.softmax(x, 1), f.randn(2, 4, 3))
f.case("softmax_noncontiguous", lambda x: F.softmax(x.t(), -1), f.randn(5, 3))
f.case("softmax_large", lambda x: F.softmax(x, -1), torch.tensor([[1000.0, 999.0, -1000.0, 0.0], [-1e4, -1e4 + 1, -1e4 - 2, -1e4], [88.0, 89.0, 90.0, 91.0]]))
f.case("softmax_float64", lambda x: F.softmax(x, -1), f.randn(3, 6, dtype=torch.float64) * 5)
f.case("log_softmax", lambda x: F.log_softmax(x, 1), f.randn(3, 5))
f.case("log_softmax_dim0", lambda x: F.log_softmax(x, 0), f.randn(3, 5))
f.case("log_softmax_middle_dim", lambda x: F.log_softmax(x, 1), f.randn(2, 4, 3))
f.case("log_softmax_noncontiguous", lambda x: F.log_softmax(x.t(), -1), f.randn(5, 3))
f.case("log_softmax_large", lambda x: F.log_softmax(x, -1), torch.tensor([[1000.0, 999.0, -1000.0, 0.0], [-1e4, -1e4 + 1, -1e4 - 2, -1e4], [88.0, 89.0, 90.0, 91.0]]))
f.case("log_softmax_float64", lambda x: F.log_softmax(x, -1), f.randn(3, 6, dtype=torch.float64) * 5)
f.case("maxout", lambda x: x.max(-1).values, f.randn(3, 4, 3))
f.case("maxout_pieces", lambda x: x.view(3, 2, 3).max(-1).values, f.randn(3, 6))
f.case("maxout_module", lambda x, w, b: F.linear(x, w, b).view(4, 3, 2).max(-1).values, f.randn(4, 5), f.randn(6, 5) * 0.4, f.randn(6) * 0.1)
f.case("heaviside", lambda x: torch.heaviside(x, torch.tensor(1.0)), with_zeros(f.randn(3, 5)), grad=False)
f.case("perceptron_sign", lambda x: torch.where(x > 0, 1.0, -1.0), with_zeros(f.randn(3, 5)), grad=False)
f.case("erf", torch.erf, f.randn(3, 5) * 2)
f.case("erf_float64_grid", torch.erf, torch.linspace(-7, 7, 2801, dtype=torch.float64))


# ---- normalisation -------------------------------------------------------------------------------------------
def bn_module(cls, c, train, steps=1, **kw):
    """fn(x1..xs, weight, bias, running_mean0, running_var0): `steps` batches through a fresh module, the last recorded."""
    def fn(*inputs):
        xs, (w, b, rm, rv) = inputs[:steps], inputs[steps:]
        m = cls(c, **kw).to(xs[0].dtype)
        with torch.no_grad():
            m.running_mean.copy_(rm)
            m.running_var.copy_(rv)
        # The fixture's leaves replace the parameters, so their gradients are the recorded ones.
        del m.weight, m.bias
        m.weight, m.bias = w, b
        m.train(train)
        for x in xs[:-1]:
            m(x)
        y = m(xs[-1])
        if not train:
            return y
        return torch.cat([y.reshape(-1), m.running_mean, m.running_var, m.num_batches_tracked.to(y.dtype).reshape(1)])
    return fn


def stats(c, dtype=torch.float32):
    return f.randn(c, dtype=dtype) * 0.3, f.rand(c, low=0.5, high=2.0, dtype=dtype)


def params(c, dtype=torch.float32):
    return f.randn(c, dtype=dtype) * 0.5 + 1.0, f.randn(c, dtype=dtype) * 0.5


f.case("batchnorm1d_train_2d", bn_module(nn.BatchNorm1d, 4, True), f.randn(6, 4) * 2 + 1, *params(4), *stats(4))
f.case("batchnorm1d_train_3d", bn_module(nn.BatchNorm1d, 3, True), f.randn(4, 3, 5), *params(3), *stats(3))
f.case("batchnorm1d_train_batch1", bn_module(nn.BatchNorm1d, 3, True), f.randn(1, 3, 5), *params(3), *stats(3))
f.case("batchnorm1d_eval", bn_module(nn.BatchNorm1d, 4, False), f.randn(5, 4, 3), *params(4), *stats(4))
f.case("batchnorm2d_train", bn_module(nn.BatchNorm2d, 3, True, momentum=0.25, eps=1e-3), f.randn(2, 3, 4, 5) * 3 - 1, *params(3), *stats(3))
f.case("batchnorm2d_eval", bn_module(nn.BatchNorm2d, 3, False), f.randn(2, 3, 4, 5), *params(3), *stats(3))
f.case("batchnorm2d_momentum_none", bn_module(nn.BatchNorm2d, 2, True, steps=3, momentum=None),
       f.randn(2, 2, 3, 3), f.randn(3, 2, 3, 3) + 1, f.randn(2, 2, 3, 3) * 2, *params(2), *stats(2))
f.case("batchnorm2d_float64", bn_module(nn.BatchNorm2d, 3, True), f.randn(3, 3, 2, 4, dtype=torch.float64), *params(3, torch.float64), *stats(3, torch.float64))


def ln(shape, affine=True):
    if affine:
        return lambda x, w, b: F.layer_norm(x, shape, w, b)
    return lambda x: F.layer_norm(x, shape)


f.case("layernorm_last1", ln((4,)), f.randn(2, 3, 4) * 2 + 1, f.randn(4) * 0.5 + 1, f.randn(4) * 0.5)
f.case("layernorm_last2", ln((3, 4)), f.randn(2, 3, 4), f.randn(3, 4) * 0.5 + 1, f.randn(3, 4) * 0.5)
f.case("layernorm_no_affine", ln((5,), affine=False), f.randn(3, 5) * 4)
f.case("layernorm_float64", ln((6,)), f.randn(4, 6, dtype=torch.float64), f.randn(6, dtype=torch.float64) + 1, f.randn(6, dtype=torch.float64))
f.case("groupnorm", lambda x, w, b: F.group_norm(x, 3, w, b), f.randn(2, 6, 5), f.randn(6) * 0.5 + 1, f.randn(6) * 0.5)
f.case("groupnorm_4d", lambda x, w, b: F.group_norm(x, 2, w, b), f.randn(2, 4, 3, 3) * 2, f.randn(4) * 0.5 + 1, f.randn(4) * 0.5)
f.case("groupnorm_no_affine", lambda x: F.group_norm(x, 1, eps=1e-3), f.randn(3, 4, 2))
f.case("groupnorm_float64", lambda x, w, b: F.group_norm(x, 2, w, b), f.randn(2, 4, 5, dtype=torch.float64), f.randn(4, dtype=torch.float64) + 1, f.randn(4, dtype=torch.float64))
# Softplus of very negative inputs is log1p of a tiny e^x: PyTorch keeps every digit of it (added after the cases
# above, so their random inputs stay as they were).
tiny = [-100.0, -60.0, -30.0, -20.0, -10.0, -5.0, -1e-3]
f.case("softplus_tiny", F.softplus, torch.tensor(tiny))
f.case("softplus_tiny_float64", lambda x: F.softplus(x, beta=2), torch.tensor(tiny, dtype=torch.float64))
f.save()
