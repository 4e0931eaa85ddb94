"""Golden fixtures for Nabla's BertMaskedLanguageModel (src/Nabla.Models/Text/BertMaskedLanguageModel.cs): the same
model in PyTorch — nn.Embedding for tokens, positions and segments, post-norm nn.TransformerEncoderLayer(gelu,
batch_first) with a key-padding mask, the MLM head decoder(LayerNorm(gelu(dense(h)))) — and the masked-LM loss,
cross_entropy with ignore_index -100 at the unchosen positions. Dropout 0, training mode (PyTorch's plain path).

Every case's inputs: ids [N, T], segments [N, T], padding [N, T] (bool, True = pad), labels [N, T] (-100 = not a
target), then every parameter in named_parameters() order (uniform in [-0.6, 0.6]). The output is the logits
flattened ("logits" cases) or the scalar loss ("loss" cases); gradients are with respect to every parameter.
"""
import torch
import torch.nn.functional as F
from torch.nn.utils.stateless import functional_call
from common import Fixture

f = Fixture("bert", seed=31)
nn = torch.nn


class MlmHead(nn.Module):
    def __init__(self, d, vocab):
        super().__init__()
        self.dense = nn.Linear(d, d)
        self.norm = nn.LayerNorm(d)
        self.decoder = nn.Linear(d, vocab)

    def forward(self, h):
        return self.decoder(self.norm(F.gelu(self.dense(h))))


class Bert(nn.Module):
    def __init__(self, vocab, max_len, d, heads, layers, ff, segments):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab, d)
        self.position_embedding = nn.Embedding(max_len, d)
        self.segment_embedding = nn.Embedding(segments, d)
        self.layers = nn.ModuleList([nn.TransformerEncoderLayer(d, heads, ff, dropout=0.0, activation="gelu",
                                                                batch_first=True) for _ in range(layers)])
        self.mlm = MlmHead(d, vocab)

    def forward(self, ids, segments, padding, labels, loss):
        t = ids.shape[1]
        x = self.token_embedding(ids) + self.segment_embedding(segments) + self.position_embedding.weight[:t]
        for layer in self.layers:
            x = layer(x, src_key_padding_mask=padding)
        logits = self.mlm(x)
        if loss:
            return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100)
        return logits.reshape(-1)


def case(name, model, ids, segments, padding, labels, loss):
    named = [(n, f.rand(*p.shape, low=-0.6, high=0.6, dtype=p.dtype)) for n, p in model.named_parameters()]
    names = [n for n, _ in named]

    def fn(ids, segments, padding, labels, *params):
        return functional_call(model, dict(zip(names, params)), (ids, segments, padding, labels, loss))

    f.case(name, fn, ids, segments, padding, labels, *[p for _, p in named])


V = 13
ids = torch.tensor([[2, 5, 1, 7, 9, 0], [2, 11, 6, 1, 0, 0]])
segments = torch.tensor([[0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 1, 1]])
padding = ids == 0
labels = torch.tensor([[-100, -100, 8, -100, 9, -100], [-100, 11, -100, 4, -100, -100]])
case("logits_two_layers", Bert(V, 8, 8, 2, 2, 16, 2), ids, segments, padding, labels, loss=False)
case("loss_float64", Bert(V, 6, 6, 3, 1, 10, 2).double(), ids, segments, padding, labels, loss=True)

f.save()
