"""Golden fixture for the GRU sequence-to-sequence model (issue 7): the PyTorch mirror of the notes' Seq2SeqEncoder,
Seq2SeqDecoder, EncoderDecoder and MaskedSoftmaxCELoss (10.7).

Writes tests/Nabla.Tests/Golden/seq2seq.json with
- "models": parameter count and state-dict keys/shapes of each configuration;
- "cases": a small float64 model with fixed random weights on a padded batch: the encoder reads the source with
  its valid lengths (pack_padded_sequence), the decoder starts from the encoder's final state with the encoder's
  final top-layer state as a fixed context, and reads the teacher-forcing input <bos> + target[:, :-1]. Recorded:
  the logits, the per-sentence masked loss and the gradient of loss.sum() for every parameter;
- "greedy": the tokens and summed log-probability of greedy decoding of each source sentence, one step at a time.

Run with /usr/bin/python3 tools/golden/seq2seq.py (PyTorch 1.13).
"""
import json
import os

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from common import OUT, encode


class Seq2SeqEncoder(nn.Module):
    def __init__(self, vocab_size, embed_size, num_hiddens, num_layers, dropout=0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = nn.GRU(embed_size, num_hiddens, num_layers, dropout=dropout)

    def forward(self, X, valid_len):
        X = self.embedding(X).permute(1, 0, 2)              # (steps, batch, embed)
        packed = pack_padded_sequence(X, valid_len, enforce_sorted=False)
        _, state = self.rnn(packed)
        return state                                         # (layers, batch, hidden)


class Seq2SeqDecoder(nn.Module):
    def __init__(self, vocab_size, embed_size, num_hiddens, num_layers, dropout=0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = nn.GRU(embed_size + num_hiddens, num_hiddens, num_layers, dropout=dropout)
        self.dense = nn.Linear(num_hiddens, vocab_size)

    def init_state(self, enc_state):
        return enc_state, enc_state[-1]                      # (hidden, fixed context)

    def forward(self, X, state):
        hidden, context = state
        X = self.embedding(X).permute(1, 0, 2)
        ctx = context.repeat(X.shape[0], 1, 1)
        output, hidden = self.rnn(torch.cat((X, ctx), 2), hidden)
        return self.dense(output).permute(1, 0, 2), (hidden, context)


class EncoderDecoder(nn.Module):
    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder

    def forward(self, enc_X, dec_X, enc_valid_len):
        state = self.decoder.init_state(self.encoder(enc_X, enc_valid_len))
        return self.decoder(dec_X, state)[0]


def sequence_mask(X, valid_len, value=0):
    maxlen = X.size(1)
    mask = torch.arange(maxlen, dtype=torch.float32)[None, :] < valid_len[:, None]
    X[~mask] = value
    return X


class MaskedSoftmaxCELoss(nn.CrossEntropyLoss):
    def forward(self, pred, label, valid_len):
        weights = sequence_mask(torch.ones_like(label, dtype=pred.dtype), valid_len)
        self.reduction = 'none'
        unweighted = super().forward(pred.permute(0, 2, 1), label)
        return (unweighted * weights).mean(dim=1)


def build(src_vocab, tgt_vocab, embed, hidden, layers):
    return EncoderDecoder(Seq2SeqEncoder(src_vocab, embed, hidden, layers), Seq2SeqDecoder(tgt_vocab, embed, hidden, layers))


MODELS = {
    "seq2seq_notes": lambda: build(184, 201, 32, 32, 2),     # the notes' sizes (embed 32, hidden 32, 2 layers)
    "seq2seq_small": lambda: build(12, 11, 5, 6, 2),
    "seq2seq_one_layer": lambda: build(7, 9, 3, 4, 1),
}


BOS, EOS, PAD = 2, 3, 1


def padded_batch(src_vocab, tgt_vocab):
    """The shared test batch of the translation mirrors: three sentences per side with valid lengths 5/2/4 (source)
    and 3/5/1 (target), each ending in <eos>, padded to 5, ids drawn from 4.. (0-3 are <unk>, <pad>, <bos>, <eos>),
    and the teacher-forcing decoder input (<bos> + target without its last column)."""
    src_len = torch.tensor([5, 2, 4])
    tgt_len = torch.tensor([3, 5, 1])
    src = torch.randint(4, src_vocab, (3, 5))
    tgt = torch.randint(4, tgt_vocab, (3, 5))
    for i in range(3):
        src[i, src_len[i] - 1] = EOS
        src[i, src_len[i]:] = PAD
        tgt[i, tgt_len[i] - 1] = EOS
        tgt[i, tgt_len[i]:] = PAD
    dec_in = torch.cat([torch.full((3, 1), BOS), tgt[:, :-1]], 1)
    return src, src_len, tgt, tgt_len, dec_in


def batch_record(model, batch, logits, loss, **extra):
    """The fixture fields every translation mirror writes for one padded batch (after loss.sum().backward())."""
    src, src_len, tgt, tgt_len, dec_in = batch
    return {**extra, "bos": BOS, "eos": EOS, "pad": PAD,
            "source": encode(src), "source_lengths": encode(src_len), "target": encode(tgt),
            "target_lengths": encode(tgt_len), "decoder_input": encode(dec_in),
            "state": {k: encode(v) for k, v in model.state_dict().items()},
            "logits": encode(logits), "loss": encode(loss), "logits_grad": encode(logits.grad),
            "grads": {n: encode(p.grad) for n, p in model.named_parameters()}}


def greedy_records(name, src, src_len, decode, max_len=6):
    """decode(sentence [1, n], lengths [1], bos, eos, max_len) → (tokens, Σ log p, ended) for each row, unpadded."""
    records = []
    for i in range(src.shape[0]):
        n = int(src_len[i])
        toks, logp, ended = decode(src[i:i + 1, :n], torch.tensor([n]), BOS, EOS, max_len)
        records.append({"case": name, "row": i, "tokens": toks, "logprob": logp, "ended": ended, "max_len": max_len})
    return records


def describe(model):
    return {"params": sum(p.numel() for p in model.parameters()),
            "keys": [[k, list(v.shape)] for k, v in model.state_dict().items()]}


def greedy(model, src, src_len, bos, eos, max_len, lengths_to_decoder=False):
    """The notes' predict_seq2seq loop for one sentence: feed the argmax back, stop at <eos>. The attention decoder's
    init_state also takes the source lengths (lengths_to_decoder)."""
    with torch.no_grad():
        encoded = model.encoder(src, src_len)
        state = model.decoder.init_state(encoded, src_len) if lengths_to_decoder else model.decoder.init_state(encoded)
        dec_X = torch.tensor([[bos]])
        tokens, logp = [], 0.0
        for _ in range(max_len):
            Y, state = model.decoder(dec_X, state)
            lp = torch.log_softmax(Y[0, 0], dim=0)
            tok = int(lp.argmax())
            logp += float(lp[tok])
            if tok == eos:
                return tokens, logp, True
            tokens.append(tok)
            dec_X = torch.tensor([[tok]])
        return tokens, logp, False


def main():
    torch.manual_seed(7)
    models = {name: describe(make()) for name, make in MODELS.items()}

    cases, greedy_cases = [], []
    for name, (sv, tv, e, h, l) in {"small_2layers": (12, 11, 5, 6, 2), "one_layer": (7, 9, 3, 4, 1)}.items():
        model = build(sv, tv, e, h, l).double()
        batch = padded_batch(sv, tv)
        src, src_len, tgt, tgt_len, dec_in = batch
        logits = model(src, dec_in, src_len)
        loss = MaskedSoftmaxCELoss()(logits, tgt, tgt_len)
        logits.retain_grad()
        loss.sum().backward()
        cases.append(batch_record(model, batch, logits, loss, name=name, sizes=[sv, tv, e, h, l]))
        greedy_cases += greedy_records(name, src, src_len, lambda x, n, bos, eos, m: greedy(model, x, n, bos, eos, m))

    path = os.path.join(OUT, "seq2seq.json")
    with open(path, "w") as f:
        json.dump({"generator": "tools/golden/seq2seq.py", "torch": torch.__version__,
                   "models": models, "cases": cases, "greedy": greedy_cases}, f)
    print(f"{path}: {len(models)} models, {len(cases)} cases, {len(greedy_cases)} greedy decodings")
    for name, m in models.items():
        print(f"  {name:20s} {m['params']:>8,d}")
        for k, shape in m["keys"]:
            print(f"      {k:28s} {shape}")
    for g in greedy_cases:
        print("  greedy", g)


if __name__ == "__main__":
    main()
