"""Golden fixtures for attention: torch.nn.MultiheadAttention and the notes' (d2l's) masked_softmax,
AdditiveAttention, DotProductAttention and PositionalEncoding, written out here in PyTorch.

MultiheadAttention cases: the data inputs come first, then every parameter in named_parameters() order
(in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias), loaded by name into Nabla's module. Data inputs, in
order: query; key unless self-attention ("self": query is key is value); value unless key is value ("kv");
key_padding_mask (bool, True = ignore) when given; attn_mask as a bool tensor when given, then, for a float
attn_mask, a float bias: the float mask is zeros.masked_fill(bool, -inf) + bias, so it holds -inf entries and finite
ones, and the bias gets a gradient. The output is cat(attn_output.flatten(), attn_weights.flatten()) when weights
are requested, else attn_output.flatten(). Dropout is 0.
"""
import math
import torch
from torch.nn.utils.stateless import functional_call
from common import Fixture

f = Fixture("attention", seed=7)
nn = torch.nn


def mha_params(module):
    dt = module.in_proj_weight.dtype
    return [(n, f.rand(*p.shape, low=-0.6, high=0.6, dtype=dt)) for n, p in module.named_parameters()]


def mha_case(name, module, q, k=None, v=None, mode="cross", kpm=None, attn=None, attn_bias=None,
             need_weights=True, average=True):
    named = mha_params(module)
    names = [n for n, _ in named]
    data = [q]
    if mode == "cross":
        data += [k, v]
    elif mode == "kv":
        data += [k]
    if kpm is not None:
        data.append(kpm)
    if attn is not None:
        data.append(attn)
    if attn_bias is not None:
        data.append(attn_bias)
    nd = len(data)

    def fn(*args):
        it = iter(args[:nd])
        query = next(it)
        key = query if mode == "self" else next(it)
        value = key if mode in ("self", "kv") else next(it)
        key_padding = next(it) if kpm is not None else None
        mask = next(it) if attn is not None else None
        if attn_bias is not None:
            mask = torch.zeros(mask.shape, dtype=query.dtype).masked_fill(mask, float("-inf")) + next(it)
        params = dict(zip(names, args[nd:]))
        out, w = functional_call(module, params, (query, key, value),
                                 dict(key_padding_mask=key_padding, need_weights=need_weights, attn_mask=mask,
                                      average_attn_weights=average))
        parts = [out.reshape(-1)] + ([w.reshape(-1)] if need_weights else [])
        return torch.cat(parts)

    f.case(name, fn, *data, *[p for _, p in named])


def causal(l, s):
    return torch.ones(l, s).triu(1).bool()  # True above the diagonal = not allowed


E, N, L, S = 8, 2, 4, 5
kpm = torch.tensor([[False, False, False, True, True], [False, False, False, False, False]])

mha_case("mha_self", nn.MultiheadAttention(E, 2), f.randn(L, N, E), mode="self")
mha_case("mha_self_batch_first_causal_bool_per_head", nn.MultiheadAttention(E, 4, batch_first=True),
         f.randn(N, L, E), mode="self", attn=causal(L, L), average=False)
mha_case("mha_cross_kpm", nn.MultiheadAttention(E, 2), f.randn(L, N, E), f.randn(S, N, E), f.randn(S, N, E), kpm=kpm)
mha_case("mha_cross_batch_first_float_mask_kpm", nn.MultiheadAttention(E, 4, batch_first=True),
         f.randn(N, L, E), f.randn(N, S, E), f.randn(N, S, E), kpm=kpm,
         attn=torch.tensor([[True, False, False, False, False], [False, False, True, False, False],
                            [False, False, False, False, True], [False, True, True, False, False]]),
         attn_bias=f.randn(L, S))
mha_case("mha_kv_causal_float", nn.MultiheadAttention(E, 2), f.randn(L, N, E), f.randn(L, N, E), mode="kv",
         attn=causal(L, L), attn_bias=torch.zeros(L, L))
mha_case("mha_no_bias_one_head_no_weights", nn.MultiheadAttention(E, 1, bias=False), f.randn(L, N, E),
         f.randn(S, N, E), f.randn(S, N, E), need_weights=False)
mha_case("mha_no_bias_batch_first_per_head", nn.MultiheadAttention(E, 2, bias=False, batch_first=True),
         f.randn(N, L, E), f.randn(N, S, E), f.randn(N, S, E), average=False)
mask3d = torch.rand(N * 2, L, S, generator=f.gen) < 0.3
mask3d[:, :, 0] = False
mha_case("mha_3d_bool_mask_kpm", nn.MultiheadAttention(E, 2), f.randn(L, N, E), f.randn(S, N, E), f.randn(S, N, E),
         kpm=kpm, attn=mask3d, average=False)
mha_case("mha_unbatched_cross", nn.MultiheadAttention(E, 4), f.randn(L, E), f.randn(S, E), f.randn(S, E),
         kpm=torch.tensor([False, True, False, False, True]))
mha_case("mha_wide_8_heads", nn.MultiheadAttention(16, 8, batch_first=True), f.randn(3, 6, 16), mode="self")
mha_case("mha_float64_causal", nn.MultiheadAttention(E, 2).double(), f.randn(L, N, E, dtype=torch.float64), mode="self",
         attn=causal(L, L), attn_bias=f.randn(L, L, dtype=torch.float64))


# ---- the notes' attention scoring, as d2l writes it ----

def sequence_mask(X, valid_len, value=0):
    maxlen = X.size(1)
    mask = torch.arange(maxlen, dtype=torch.float32)[None, :] < valid_len[:, None]
    X[~mask] = value
    return X


def masked_softmax(X, valid_lens):
    if valid_lens is None:
        return nn.functional.softmax(X, dim=-1)
    shape = X.shape
    if valid_lens.dim() == 1:
        valid_lens = torch.repeat_interleave(valid_lens, shape[1])
    else:
        valid_lens = valid_lens.reshape(-1)
    # d2l masks in place; the clone keeps the leaf X out of the in-place write (same values and gradients).
    X = sequence_mask(X.reshape(-1, shape[-1]).clone(), valid_lens, value=-1e6)
    return nn.functional.softmax(X.reshape(shape), dim=-1)


class AdditiveAttention(nn.Module):
    def __init__(self, key_size, query_size, num_hiddens, dropout):
        super().__init__()
        self.W_k = nn.Linear(key_size, num_hiddens, bias=False)
        self.W_q = nn.Linear(query_size, num_hiddens, bias=False)
        self.w_v = nn.Linear(num_hiddens, 1, bias=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, queries, keys, values, valid_lens):
        queries, keys = self.W_q(queries), self.W_k(keys)
        features = queries.unsqueeze(2) + keys.unsqueeze(1)
        features = torch.tanh(features)
        scores = self.w_v(features).squeeze(-1)
        self.attention_weights = masked_softmax(scores, valid_lens)
        return torch.bmm(self.dropout(self.attention_weights), values)


class DotProductAttention(nn.Module):
    def __init__(self, dropout):
        super().__init__()
        self.dropout = nn.Dropout(dropout)

    def forward(self, queries, keys, values, valid_lens=None):
        d = queries.shape[-1]
        scores = torch.bmm(queries, keys.transpose(1, 2)) / math.sqrt(d)
        self.attention_weights = masked_softmax(scores, valid_lens)
        return torch.bmm(self.dropout(self.attention_weights), values)


class PositionalEncoding(nn.Module):
    def __init__(self, num_hiddens, dropout, max_len=1000):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.P = torch.zeros((1, max_len, num_hiddens))
        X = torch.arange(max_len, dtype=torch.float32).reshape(-1, 1) / torch.pow(
            10000, torch.arange(0, num_hiddens, 2, dtype=torch.float32) / num_hiddens)
        self.P[:, :, 0::2] = torch.sin(X)
        self.P[:, :, 1::2] = torch.cos(X)

    def forward(self, X):
        X = X + self.P[:, :X.shape[1], :].to(X.device)
        return self.dropout(X)


f.case("masked_softmax_lens_1d", lambda x, l: masked_softmax(x, l), f.rand(2, 2, 4), torch.tensor([2, 3]))
f.case("masked_softmax_lens_2d", lambda x, l: masked_softmax(x, l), f.rand(2, 2, 4), torch.tensor([[1, 3], [2, 4]]))
f.case("masked_softmax_fully_masked_row", lambda x, l: masked_softmax(x, l), f.randn(2, 3, 5), torch.tensor([[0, 2, 5], [1, 0, 3]]))
f.case("masked_softmax_no_mask", lambda x: masked_softmax(x, None), f.randn(2, 3, 5))
f.case("masked_softmax_causal_bool", lambda x, m: nn.functional.softmax(x.masked_fill(~m, -1e6), dim=-1),
       f.randn(2, 4, 4), torch.ones(4, 4).tril().bool())


def module_case(name, module, params, *data):
    names = [n for n, _ in module.named_parameters()]
    nd = len(data)

    def fn(*args):
        out = functional_call(module, dict(zip(names, args[nd:])), tuple(args[:nd]))
        return torch.cat([out.reshape(-1), module.attention_weights.reshape(-1)])

    f.case(name, fn, *data, *params)


add = AdditiveAttention(key_size=2, query_size=20, num_hiddens=8, dropout=0)
module_case("additive_attention", add, [f.randn(*p.shape) * 0.5 for p in add.parameters()],
            f.randn(2, 1, 20), f.randn(2, 10, 2), f.randn(2, 10, 4), torch.tensor([2, 6]))
add2 = AdditiveAttention(key_size=3, query_size=5, num_hiddens=6, dropout=0)
module_case("additive_attention_lens_2d", add2, [f.randn(*p.shape) * 0.5 for p in add2.parameters()],
            f.randn(2, 3, 5), f.randn(2, 4, 3), f.randn(2, 4, 2), torch.tensor([[1, 2, 4], [3, 3, 2]]))
dot = DotProductAttention(dropout=0)
module_case("dot_product_attention", dot, [], f.randn(2, 1, 2), f.randn(2, 10, 2), f.randn(2, 10, 4), torch.tensor([2, 6]))
module_case("dot_product_attention_lens_2d", dot, [], f.randn(2, 3, 4), f.randn(2, 5, 4), f.randn(2, 5, 3),
            torch.tensor([[1, 2, 5], [4, 3, 2]]))

pe = PositionalEncoding(6, 0, max_len=20)
f.case("positional_encoding", lambda x: pe(x), f.randn(2, 7, 6))
pe_wide = PositionalEncoding(32, 0, max_len=60)
f.case("positional_encoding_table", lambda x: pe_wide(x), torch.zeros(1, 60, 32), grad=False)


# ---- TransformerEncoderLayer (dropout 0): data inputs src, then src_mask (bool) and src_key_padding_mask when
# given, then every parameter in named_parameters() order; the output is the layer's output flattened.

def enc_case(name, layer, src, mask=None, kpm=None):
    named = [(n, f.rand(*p.shape, low=-0.6, high=0.6, dtype=p.dtype)) for n, p in layer.named_parameters()]
    names = [n for n, _ in named]
    data = [src] + ([mask] if mask is not None else []) + ([kpm] if kpm is not None else [])
    nd = len(data)

    def fn(*args):
        it = iter(args[1:nd])
        m = next(it) if mask is not None else None
        k = next(it) if kpm is not None else None
        out = functional_call(layer, dict(zip(names, args[nd:])), (args[0],), dict(src_mask=m, src_key_padding_mask=k))
        return out.reshape(-1)

    f.case(name, fn, *data, *[p for _, p in named])


enc_kpm = torch.tensor([[False, False, False, True, True], [False, False, False, False, False]])
enc_case("encoder_post_norm_causal_kpm", nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0),
         f.randn(5, 2, 8), mask=causal(5, 5), kpm=enc_kpm)
enc_case("encoder_pre_norm_batch_first_kpm", nn.TransformerEncoderLayer(8, 4, dim_feedforward=12, dropout=0.0, batch_first=True,
                                                                       norm_first=True), f.randn(2, 5, 8), kpm=enc_kpm)
enc_case("encoder_post_norm_gelu", nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, activation="gelu"),
         f.randn(4, 3, 8))
enc_case("encoder_pre_norm_float64_causal", nn.TransformerEncoderLayer(6, 3, dim_feedforward=10, dropout=0.0, norm_first=True).double(),
         f.randn(4, 2, 6, dtype=torch.float64), mask=causal(4, 4))

f.save()
