"""Golden fixtures for Nabla's GptLanguageModel (src/Nabla.Models/Text/GptLanguageModel.cs): the same model in
PyTorch, built from nn.Embedding, nn.TransformerEncoderLayer(norm_first=True, batch_first=True, activation="gelu")
under a causal mask, a final nn.LayerNorm and nn.Linear (or the tied embedding as the head). Dropout 0, training
mode (PyTorch's plain path).

Every case's inputs: the token ids [N, T] (int64), then every parameter in named_parameters() order, drawn
independently (uniform in [-0.6, 0.6]) and loaded by name into Nabla's model. The output is the logits [N, T, V]
flattened; the gradients are those of sum(logits * upstream) with respect to every parameter.
"""
import torch
from torch.nn.utils.stateless import functional_call
from common import Fixture

f = Fixture("gpt", seed=23)
nn = torch.nn


class Gpt(nn.Module):
    def __init__(self, vocab, max_len, d, heads, layers, ff, tie):
        super().__init__()
        self.tie = tie
        self.token_embedding = nn.Embedding(vocab, d)
        self.position_embedding = nn.Embedding(max_len, d)
        self.layers = nn.ModuleList([nn.TransformerEncoderLayer(d, heads, ff, dropout=0.0, activation="gelu",
                                                                batch_first=True, norm_first=True)
                                     for _ in range(layers)])
        self.norm = nn.LayerNorm(d)
        if not tie:
            self.lm_head = nn.Linear(d, vocab)

    def forward(self, ids):
        t = ids.shape[1]
        x = self.token_embedding(ids) + self.position_embedding.weight[:t]
        causal = torch.ones(t, t).triu(1).bool()  # True above the diagonal = may not attend
        for layer in self.layers:
            x = layer(x, src_mask=causal)
        h = self.norm(x)
        return h @ self.token_embedding.weight.T if self.tie else self.lm_head(h)


def case(name, model, ids):
    named = [(n, f.rand(*p.shape, low=-0.6, high=0.6, dtype=p.dtype)) for n, p in model.named_parameters()]
    names = [n for n, _ in named]

    def fn(ids, *params):
        return functional_call(model, dict(zip(names, params)), (ids,)).reshape(-1)

    f.case(name, fn, ids, *[p for _, p in named])


V = 11
case("untied_two_layers", Gpt(V, 8, 8, 2, 2, 16, tie=False), f.randint(0, V, 2, 6))
case("tied_full_window", Gpt(V, 5, 8, 4, 1, 12, tie=True), f.randint(0, V, 3, 5))
case("untied_float64_three_layers", Gpt(7, 6, 6, 3, 3, 10, tie=False).double(), f.randint(0, 7, 2, 4))

f.save()
