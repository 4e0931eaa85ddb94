"""Golden fixture for the attention sequence-to-sequence model: the PyTorch mirror of the notes'
Seq2SeqAttentionDecoder (Bahdanau, 10.4) behind the GRU encoder of tools/golden/seq2seq.py.

Writes tests/Nabla.Tests/Golden/seq2seq_attention.json with
- "models": parameter count and state-dict keys/shapes of each configuration;
- "cases": a small float64 model with fixed random weights on a padded batch: the encoder reads the source with its
  valid lengths (packed; outputs past a length are zero, pad_packed_sequence), the decoder attends over the encoder
  outputs masked by the source lengths and reads the teacher-forcing input. Recorded: logits, the per-sentence
  masked loss, the attention weights of every step, and the gradient of loss.sum() for every parameter;
- "greedy": the tokens and summed log-probability of greedy decoding of each source sentence alone, one step at a time.

Run with /usr/bin/python3 tools/golden/seq2seq_attention.py (PyTorch 1.13).
"""
import json
import os

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from common import OUT, encode
from seq2seq import MaskedSoftmaxCELoss, batch_record, describe, greedy, greedy_records, padded_batch, sequence_mask


def masked_softmax(X, valid_lens):
    """The notes' masked_softmax: scores past a row's valid length become -1e6 before the softmax."""
    if valid_lens is None:
        return nn.functional.softmax(X, dim=-1)
    shape = X.shape
    lens = torch.repeat_interleave(valid_lens, shape[1])
    X = sequence_mask(X.reshape(-1, shape[-1]).clone(), lens, value=-1e6)
    return nn.functional.softmax(X.reshape(shape), dim=-1)


class AdditiveAttention(nn.Module):
    def __init__(self, key_size, query_size, num_hiddens, dropout):
        super().__init__()
        self.W_k = nn.Linear(key_size, num_hiddens, bias=False)
        self.W_q = nn.Linear(query_size, num_hiddens, bias=False)
        self.w_v = nn.Linear(num_hiddens, 1, bias=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, queries, keys, values, valid_lens):
        features = torch.tanh(self.W_q(queries).unsqueeze(2) + self.W_k(keys).unsqueeze(1))
        scores = self.w_v(features).squeeze(-1)
        self.attention_weights = masked_softmax(scores, valid_lens)
        return torch.bmm(self.dropout(self.attention_weights), values)


class Encoder(nn.Module):
    """The GRU encoder of seq2seq.py, returning the padded outputs too (the attention decoder's keys and values)."""
    def __init__(self, vocab_size, embed_size, num_hiddens, num_layers, dropout=0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = nn.GRU(embed_size, num_hiddens, num_layers, dropout=dropout)

    def forward(self, X, valid_len):
        X = self.embedding(X).permute(1, 0, 2)
        packed = pack_padded_sequence(X, valid_len, enforce_sorted=False)
        out, state = self.rnn(packed)
        out, _ = pad_packed_sequence(out, total_length=X.shape[0])
        return out, state


class Seq2SeqAttentionDecoder(nn.Module):
    def __init__(self, vocab_size, embed_size, num_hiddens, num_layers, dropout=0):
        super().__init__()
        self.attention = AdditiveAttention(num_hiddens, num_hiddens, num_hiddens, dropout)
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = nn.GRU(embed_size + num_hiddens, num_hiddens, num_layers, dropout=dropout)
        self.dense = nn.Linear(num_hiddens, vocab_size)

    def init_state(self, enc_outputs, enc_valid_lens):
        outputs, hidden_state = enc_outputs
        return outputs.permute(1, 0, 2), hidden_state, enc_valid_lens

    def forward(self, X, state):
        enc_outputs, hidden_state, enc_valid_lens = state
        X = self.embedding(X).permute(1, 0, 2)
        outputs, self.attention_weights = [], []
        for x in X:
            query = hidden_state[-1].unsqueeze(1)
            context = self.attention(query, enc_outputs, enc_outputs, enc_valid_lens)
            x = torch.cat((context, x.unsqueeze(1)), dim=-1)
            out, hidden_state = self.rnn(x.permute(1, 0, 2), hidden_state)
            outputs.append(out)
            self.attention_weights.append(self.attention.attention_weights)
        outputs = self.dense(torch.cat(outputs, dim=0))
        return outputs.permute(1, 0, 2), [enc_outputs, hidden_state, enc_valid_lens]


class EncoderDecoder(nn.Module):
    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder

    def forward(self, enc_X, dec_X, enc_valid_len):
        state = self.decoder.init_state(self.encoder(enc_X, enc_valid_len), enc_valid_len)
        return self.decoder(dec_X, state)[0]


def build(src_vocab, tgt_vocab, embed, hidden, layers):
    return EncoderDecoder(Encoder(src_vocab, embed, hidden, layers), Seq2SeqAttentionDecoder(tgt_vocab, embed, hidden, layers))


MODELS = {
    "attention_notes": lambda: build(184, 201, 32, 32, 2),     # the notes' sizes (embed 32, hidden 32, 2 layers)
    "attention_small": lambda: build(12, 11, 5, 6, 2),
    "attention_one_layer": lambda: build(7, 9, 3, 4, 1),
}


def main():
    torch.manual_seed(11)
    models = {name: describe(make()) for name, make in MODELS.items()}

    cases, greedy_cases = [], []
    for name, (sv, tv, e, h, l) in {"small_2layers": (12, 11, 5, 6, 2), "one_layer": (7, 9, 3, 4, 1)}.items():
        model = build(sv, tv, e, h, l).double()
        for p in model.parameters():            # larger weights than the default init, so attention is far from uniform
            p.data.mul_(2.0)
        batch = padded_batch(sv, tv)
        src, src_len, tgt, tgt_len, dec_in = batch
        logits = model(src, dec_in, src_len)
        weights = torch.cat(model.decoder.attention_weights, dim=1)
        loss = MaskedSoftmaxCELoss()(logits, tgt, tgt_len)
        logits.retain_grad()
        loss.sum().backward()
        cases.append(batch_record(model, batch, logits, loss, name=name, sizes=[sv, tv, e, h, l], attention_weights=encode(weights)))
        greedy_cases += greedy_records(name, src, src_len,
                                       lambda x, n, bos, eos, m: greedy(model, x, n, bos, eos, m, lengths_to_decoder=True))

    path = os.path.join(OUT, "seq2seq_attention.json")
    with open(path, "w") as f:
        json.dump({"generator": "tools/golden/seq2seq_attention.py", "torch": torch.__version__,
                   "models": models, "cases": cases, "greedy": greedy_cases}, f)
    print(f"{path}: {len(models)} models, {len(cases)} cases, {len(greedy_cases)} greedy decodings")
    for name, m in models.items():
        print(f"  {name:20s} {m['params']:>8,d}")
        for k, shape in m["keys"]:
            print(f"      {k:28s} {shape}")
    for c in cases:
        print("  attention weights", c["name"], c["attention_weights"]["data"][:10])
    for g in greedy_cases:
        print("  greedy", g)


if __name__ == "__main__":
    main()
