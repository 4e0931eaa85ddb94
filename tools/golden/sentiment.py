"""Golden fixture for the sentiment classifiers (issue 6): the PyTorch mirror of the notes' BiRNN (15.2).

Writes tests/Nabla.Tests/Golden/sentiment.json with
- "models": parameter count and state-dict keys/shapes of each configuration, printed here too;
- "logits": a small BiRNN with fixed random weights run on a padded batch, where the valid length of each
  sentence is given to the LSTM through pack_padded_sequence (so padding never reaches the state), and the
  encoding is the concatenation of the outputs at the first step and at each sentence's LAST VALID step.
  The notes take outputs[0] and outputs[-1] of an unpadded batch; with padding, outputs[-1] would be a padded
  (zero) step, so the last valid step is the faithful generalisation.

Run with /usr/bin/python3 tools/golden/sentiment.py (PyTorch 1.13).
"""
import json
import os

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from common import OUT, encode


class BiRNN(nn.Module):
    """The notes' BiRNN (15.2), with the valid lengths passed to the LSTM. Dropout has no parameters, so the
    state dict is the notes' one: embedding, encoder (LSTM), decoder."""

    def __init__(self, vocab_size, embed_size, num_hiddens, num_layers, classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.encoder = nn.LSTM(embed_size, num_hiddens, num_layers=num_layers, bidirectional=True)
        self.decoder = nn.Linear(4 * num_hiddens, classes)

    def forward(self, inputs, lengths):
        # inputs: (batch, steps) token ids; the LSTM wants time first.
        embeddings = self.embedding(inputs.T)
        packed = pack_padded_sequence(embeddings, lengths, enforce_sorted=False)
        outputs, _ = self.encoder(packed)
        outputs, _ = pad_packed_sequence(outputs, total_length=inputs.shape[1])
        batch = torch.arange(inputs.shape[0])
        encoding = torch.cat((outputs[0], outputs[lengths - 1, batch]), dim=1)
        return self.decoder(encoding)


# name -> builder; the C# test builds the same configuration under the same name.
MODELS = {
    "birnn_notes": lambda: BiRNN(10000, 100, 100, 2),      # the zoo's sentiment-bilstm at its defaults
    "birnn_small": lambda: BiRNN(50, 8, 6, 1),
    "birnn_three_classes": lambda: BiRNN(40, 5, 7, 3, classes=3),
}


def describe(model):
    return {"params": sum(p.numel() for p in model.parameters()),
            "keys": [[k, list(v.shape)] for k, v in model.state_dict().items()]}


def compact(t):
    e = encode(t)
    if t.dtype == torch.float32:
        e["data"] = [float(repr(np.float32(v))) for v in e["data"]]
    return e


def main():
    torch.manual_seed(6)
    models = {name: describe(build()) for name, build in MODELS.items()}

    # Logits: vocab 30, embed 5, hidden 4, 2 layers; pad id 0 fills the tail of the shorter sentences.
    model = BiRNN(30, 5, 4, 2).eval()
    lengths = torch.tensor([6, 3, 1, 4])
    ids = torch.randint(1, 30, (4, 6))
    for i, n in enumerate(lengths.tolist()):
        ids[i, n:] = 0
    with torch.no_grad():
        logits = model(ids, lengths)
        # The same sentences one at a time, unpadded: what padding must not change.
        single = torch.cat([model(ids[i:i + 1, :n], torch.tensor([n])) for i, n in enumerate(lengths.tolist())])
    assert torch.allclose(logits, single, atol=1e-6)
    case = {"name": "birnn_v30_e5_h4_l2", "input": compact(ids), "lengths": compact(lengths), "pad_id": 0,
            "state": {k: compact(v) for k, v in model.state_dict().items()}, "logits": compact(logits)}

    path = os.path.join(OUT, "sentiment.json")
    with open(path, "w") as f:
        json.dump({"generator": "tools/golden/sentiment.py", "torch": torch.__version__,
                   "models": models, "logits": [case]}, f)
    print(f"{path}: {len(models)} models, 1 logit case")
    for name, m in models.items():
        print(f"  {name:22s} {m['params']:>10,d}")
        for k, shape in m["keys"]:
            print(f"      {k:28s} {shape}")


if __name__ == "__main__":
    main()
