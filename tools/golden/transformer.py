"""Golden fixtures for torch.nn.TransformerDecoderLayer, TransformerEncoder, TransformerDecoder and Transformer
(dropout 0, so the modules are deterministic in training mode, which also keeps PyTorch off its inference fast path).

Every case's inputs: the data first, then every parameter in named_parameters() order, loaded by name into Nabla's
module. Data inputs, in order: the module's tensors (decoder: tgt, memory; encoder: src; transformer: src, tgt),
then each mask that is given, in the order of the forward's keywords (MASKS below); masks are bool, True = ignore.
Parameters are drawn independently per name (uniform in [-0.6, 0.6]), so stacked layers get different weights and a
mix-up of layers would show. The output is the module's output flattened.
"""
import torch
from torch.nn.utils.stateless import functional_call
from common import Fixture

f = Fixture("transformer", seed=11)
nn = torch.nn

MASKS = {
    "decoder": ["tgt_mask", "memory_mask", "tgt_key_padding_mask", "memory_key_padding_mask"],
    "encoder": ["mask", "src_key_padding_mask"],
    "transformer": ["src_mask", "tgt_mask", "memory_mask", "src_key_padding_mask", "tgt_key_padding_mask",
                    "memory_key_padding_mask"],
}


def case(name, kind, module, tensors, masks):
    named = [(n, f.rand(*p.shape, low=-0.6, high=0.6, dtype=p.dtype)) for n, p in module.named_parameters()]
    names = [n for n, _ in named]
    keys = [k for k in MASKS[kind] if k in masks]
    data = list(tensors) + [masks[k] for k in keys]
    nt, nd = len(tensors), len(data)

    def fn(*args):
        kwargs = dict(zip(keys, args[nt:nd]))
        out = functional_call(module, dict(zip(names, args[nd:])), tuple(args[:nt]), kwargs)
        return out.reshape(-1)

    f.case(name, fn, *data, *[p for _, p in named])


def causal(l, s):
    return torch.ones(l, s).triu(1).bool()  # True above the diagonal = not allowed


def padding(n, length, lengths):
    return torch.arange(length)[None, :] >= torch.tensor(lengths)[:, None]  # True past each sequence's length


E, N, T, S = 8, 2, 4, 5
memory_mask = torch.tensor([[False, True, False, False, False], [False, False, False, True, False],
                            [True, False, False, False, False], [False, False, True, True, False]])

# ---- TransformerDecoderLayer ----
case("decoder_layer_post_norm_all_masks", "decoder", nn.TransformerDecoderLayer(E, 2, dim_feedforward=16, dropout=0.0),
     [f.randn(T, N, E), f.randn(S, N, E)],
     dict(tgt_mask=causal(T, T), memory_mask=memory_mask, tgt_key_padding_mask=padding(N, T, [3, 4]),
          memory_key_padding_mask=padding(N, S, [5, 3])))
case("decoder_layer_pre_norm_batch_first_causal_memory_kpm", "decoder",
     nn.TransformerDecoderLayer(E, 4, dim_feedforward=12, dropout=0.0, batch_first=True, norm_first=True),
     [f.randn(N, T, E), f.randn(N, S, E)], dict(tgt_mask=causal(T, T), memory_key_padding_mask=padding(N, S, [2, 5])))
case("decoder_layer_post_norm_gelu_no_masks", "decoder",
     nn.TransformerDecoderLayer(E, 2, dim_feedforward=16, dropout=0.0, activation="gelu"),
     [f.randn(3, 3, E), f.randn(6, 3, E)], {})
case("decoder_layer_pre_norm_gelu_batch_first_memory_mask", "decoder",
     nn.TransformerDecoderLayer(E, 2, dim_feedforward=10, dropout=0.0, activation="gelu", batch_first=True, norm_first=True),
     [f.randn(N, T, E), f.randn(N, S, E)], dict(memory_mask=memory_mask, tgt_key_padding_mask=padding(N, T, [4, 2])))
case("decoder_layer_unbatched_causal", "decoder", nn.TransformerDecoderLayer(E, 4, dim_feedforward=12, dropout=0.0),
     [f.randn(T, E), f.randn(S, E)], dict(tgt_mask=causal(T, T)))
case("decoder_layer_pre_norm_float64_all_masks", "decoder",
     nn.TransformerDecoderLayer(6, 3, dim_feedforward=10, dropout=0.0, norm_first=True).double(),
     [f.randn(T, N, 6, dtype=torch.float64), f.randn(S, N, 6, dtype=torch.float64)],
     dict(tgt_mask=causal(T, T), memory_mask=memory_mask, tgt_key_padding_mask=padding(N, T, [2, 4]),
          memory_key_padding_mask=padding(N, S, [4, 5])))

# ---- the stacks ----
case("encoder_stack_post_norm_final_norm_causal_kpm", "encoder",
     nn.TransformerEncoder(nn.TransformerEncoderLayer(E, 2, dim_feedforward=16, dropout=0.0), 2, norm=nn.LayerNorm(E)),
     [f.randn(S, N, E)], dict(mask=causal(S, S), src_key_padding_mask=padding(N, S, [3, 5])))
case("encoder_stack_pre_norm_batch_first_no_final_norm", "encoder",
     nn.TransformerEncoder(nn.TransformerEncoderLayer(E, 4, dim_feedforward=12, dropout=0.0, batch_first=True,
                                                      norm_first=True), 3),
     [f.randn(N, S, E)], dict(src_key_padding_mask=padding(N, S, [5, 2])))
case("decoder_stack_post_norm_final_norm_all_masks", "decoder",
     nn.TransformerDecoder(nn.TransformerDecoderLayer(E, 2, dim_feedforward=16, dropout=0.0), 2, norm=nn.LayerNorm(E)),
     [f.randn(T, N, E), f.randn(S, N, E)],
     dict(tgt_mask=causal(T, T), memory_mask=memory_mask, tgt_key_padding_mask=padding(N, T, [4, 3]),
          memory_key_padding_mask=padding(N, S, [5, 4])))
case("decoder_stack_pre_norm_batch_first_gelu_no_final_norm", "decoder",
     nn.TransformerDecoder(nn.TransformerDecoderLayer(E, 4, dim_feedforward=12, dropout=0.0, activation="gelu",
                                                      batch_first=True, norm_first=True), 2),
     [f.randn(N, T, E), f.randn(N, S, E)], dict(tgt_mask=causal(T, T)))

# ---- nn.Transformer ----
case("transformer_post_norm_all_masks", "transformer",
     nn.Transformer(E, 2, num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=16, dropout=0.0),
     [f.randn(S, N, E), f.randn(T, N, E)],
     dict(src_mask=causal(S, S), tgt_mask=causal(T, T), memory_mask=memory_mask,
          src_key_padding_mask=padding(N, S, [5, 3]), tgt_key_padding_mask=padding(N, T, [4, 2]),
          memory_key_padding_mask=padding(N, S, [5, 3])))
case("transformer_pre_norm_batch_first_gelu", "transformer",
     nn.Transformer(E, 4, num_encoder_layers=1, num_decoder_layers=2, dim_feedforward=12, dropout=0.0,
                    activation="gelu", batch_first=True, norm_first=True),
     [f.randn(N, S, E), f.randn(N, T, E)], dict(tgt_mask=causal(T, T), memory_key_padding_mask=padding(N, S, [3, 5])))

f.save()
