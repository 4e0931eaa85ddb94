"""Golden fixtures for Nabla.Models.Translation.TransformerTranslator: a PyTorch mirror with the same state-dict
names (source_embedding, target_embedding, transformer = nn.Transformer batch_first, dense), the notes' scaled
embeddings plus the sinusoidal table, source key-padding masks in the encoder and cross-attention, a causal target
mask. Float64; logits, the notes' masked loss, the logits' gradient and every parameter gradient of loss.sum() on a
padded batch, plus greedy decoding of each sentence by re-running the decoder over the prefix.
Run: /usr/bin/python3 tools/golden/transformer_translator.py
"""
import json
import math
import os

import torch
from torch import nn

from common import OUT, encode
from seq2seq import MaskedSoftmaxCELoss, batch_record, describe, greedy_records, padded_batch


def sinusoidal_table(max_len, d):
    pos = torch.arange(max_len, dtype=torch.float64).reshape(-1, 1)
    freq = torch.pow(10000, torch.arange(0, d, 2, dtype=torch.float64) / d)
    table = torch.zeros(max_len, d, dtype=torch.float64)
    table[:, 0::2] = torch.sin(pos / freq)
    table[:, 1::2] = torch.cos(pos / freq[: d // 2])
    return table


class Translator(nn.Module):
    def __init__(self, src_vocab, tgt_vocab, d, heads, enc_layers, dec_layers, ffn, norm_first, max_len=16):
        super().__init__()
        self.d = d
        self.source_embedding = nn.Embedding(src_vocab, d)
        self.target_embedding = nn.Embedding(tgt_vocab, d)
        self.transformer = nn.Transformer(d, heads, enc_layers, dec_layers, ffn, dropout=0.0, batch_first=True, norm_first=norm_first)
        self.dense = nn.Linear(d, tgt_vocab)
        self.register_buffer("P", sinusoidal_table(max_len, d), persistent=False)

    def embed(self, embedding, ids):
        return embedding(ids) * math.sqrt(self.d) + self.P[: ids.shape[1]].to(embedding.weight.dtype)

    def encode(self, src, src_len):
        padding = torch.arange(src.shape[1])[None, :] >= src_len[:, None]
        return self.transformer.encoder(self.embed(self.source_embedding, src), src_key_padding_mask=padding), padding

    def decode(self, tgt_in, memory, padding):
        causal = self.transformer.generate_square_subsequent_mask(tgt_in.shape[1]).to(memory.dtype)
        h = self.transformer.decoder(self.embed(self.target_embedding, tgt_in), memory, tgt_mask=causal, memory_key_padding_mask=padding)
        return self.dense(h)

    def forward(self, src, tgt_in, src_len):
        memory, padding = self.encode(src, src_len)
        return self.decode(tgt_in, memory, padding)


CONFIGS = {
    "post_norm": dict(src_vocab=12, tgt_vocab=11, d=8, heads=2, enc_layers=2, dec_layers=1, ffn=12, norm_first=False),
    "pre_norm": dict(src_vocab=9, tgt_vocab=10, d=6, heads=3, enc_layers=1, dec_layers=2, ffn=10, norm_first=True),
}


def greedy(model, src, src_len, bos, eos, max_len):
    with torch.no_grad():
        memory, padding = model.encode(src, src_len)
        fed, tokens, logp = [bos], [], 0.0
        for _ in range(max_len):
            lp = torch.log_softmax(model.decode(torch.tensor([fed]), memory, padding)[0, -1], dim=0)
            tok = int(lp.argmax())
            logp += float(lp[tok])
            if tok == eos:
                return tokens, logp, True
            tokens.append(tok)
            fed.append(tok)
        return tokens, logp, False


def main():
    torch.manual_seed(11)
    cases, greedy_cases, models = [], [], {}
    for name, cfg in CONFIGS.items():
        model = Translator(**cfg).double()
        models[name] = describe(model)
        with torch.no_grad():   # larger weights than xavier's so attention is far from uniform and decodings vary
            for p in model.transformer.parameters():
                if p.dim() > 1:
                    p.mul_(2.0)
            model.dense.weight.mul_(4.0)
        batch = padded_batch(cfg["src_vocab"], cfg["tgt_vocab"])
        src, src_len, tgt, tgt_len, dec_in = batch
        logits = model(src, dec_in, src_len)
        logits.retain_grad()
        loss = MaskedSoftmaxCELoss()(logits, tgt, tgt_len)
        loss.sum().backward()
        cases.append(batch_record(model, batch, logits, loss, name=name, config=cfg))
        greedy_cases += greedy_records(name, src, src_len, lambda x, n, bos, eos, m: greedy(model, x, n, bos, eos, m))

    path = os.path.join(OUT, "transformer_translator.json")
    with open(path, "w") as f:
        json.dump({"generator": "tools/golden/transformer_translator.py", "torch": torch.__version__,
                   "models": models, "cases": cases, "greedy": greedy_cases}, f)
    print(f"{path}: {len(cases)} cases, {len(greedy_cases)} greedy decodings")
    for name, m in models.items():
        print(f"  {name:12s} {m['params']:>8,d} parameters, {len(m['keys'])} tensors")
    for g in greedy_cases:
        print("  greedy", g)


if __name__ == "__main__":
    main()
