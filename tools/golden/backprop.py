"""Golden fixture for `nabla explain backprop`: the notes' worked example computed by PyTorch in float64.

Network: x = (1, 4, 5) -> Linear(3, 2) -> sigmoid -> Linear(2, 2) -> sigmoid, loss = 1/2 * sum((o - y)^2)
with y = (0.1, 0.05). Weights are stored as torch.nn.Linear stores them (weight[out, in]).
Records the forward values, the gradients from loss.backward(), the parameters after one plain
gradient-descent step (torch.optim.SGD, lr 0.5) and the loss after that step.
"""
import json
import os
import torch
from common import OUT, encode

LR = 0.5
torch.set_default_dtype(torch.float64)

x = torch.tensor([1.0, 4.0, 5.0])
y = torch.tensor([0.1, 0.05])
hidden = torch.nn.Linear(3, 2)
output = torch.nn.Linear(2, 2)
with torch.no_grad():
    hidden.weight.copy_(torch.tensor([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]))
    hidden.bias.copy_(torch.tensor([0.5, 0.5]))
    output.weight.copy_(torch.tensor([[0.7, 0.9], [0.8, 0.1]]))
    output.bias.copy_(torch.tensor([0.5, 0.5]))
params = {"hidden.weight": hidden.weight, "hidden.bias": hidden.bias,
          "output.weight": output.weight, "output.bias": output.bias}
initial = {name: encode(p) for name, p in params.items()}


def forward():
    z_h = hidden(x)
    h = torch.sigmoid(z_h)
    z_o = output(h)
    o = torch.sigmoid(z_o)
    terms = 0.5 * (o - y) ** 2
    return z_h, h, z_o, o, terms, terms.sum()


z_h, h, z_o, o, terms, loss = forward()
loss.backward()
grads = {name: encode(p.grad) for name, p in params.items()}

torch.optim.SGD(list(params.values()), lr=LR).step()
updated = {name: encode(p) for name, p in params.items()}
with torch.no_grad():
    loss_after = forward()[-1]

fixture = {
    "generator": "tools/golden/backprop.py",
    "torch": torch.__version__,
    "learning_rate": LR,
    "inputs": encode(x),
    "targets": encode(y),
    "parameters": initial,
    "hidden_net": encode(z_h),
    "hidden": encode(h),
    "output_net": encode(z_o),
    "outputs": encode(o),
    "loss_terms": encode(terms),
    "loss": loss.item(),
    "grads": grads,
    "updated": updated,
    "loss_after_step": loss_after.item(),
}
path = os.path.join(OUT, "backprop.json")
with open(path, "w") as f:
    json.dump(fixture, f)
print(f"{path}: loss {loss.item():.10f}, outputs {o.tolist()}")
