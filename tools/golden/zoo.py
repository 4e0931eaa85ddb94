"""Golden fixture for the model zoo (src/Nabla.Models): PyTorch mirrors of the notes' (d2l, PyTorch edition)
architectures, written as the notes write them, so the C# zoo can be checked against them.

"models": for each named configuration, the parameter count and the state-dict keys with shapes (parameters and
buffers, in state-dict order). "torchvision": torchvision's own models where a zoo configuration matches one
exactly (VGG-11: same count and the same parameter shapes in the same order, only the names differ), plus the
counts of the torchvision models that are NOT the notes' networks, for docs/MODELS.md.
"logits": small configurations with fixed random weights (the whole state dict, running statistics made
non-trivial), an input and PyTorch's logits in train and/or eval mode; the C# test loads the state dict with
LoadStateDict and compares the logits.

Run: /usr/bin/python3 tools/golden/zoo.py (writes tests/Nabla.Tests/Golden/zoo.json).
"""
import copy
import json
import os
import numpy as np
import torch
import torchvision
from torch import nn
from torch.nn import functional as F
from common import OUT, encode

torch.manual_seed(0)


def scale(c, d):
    return max(1, c // d)


# --- softmax regression, MLP, LeNet (notes 3.7, 4.3, 6.6, 7.5)
def softmax_regression(cin=1, size=28, classes=10):
    return nn.Sequential(nn.Flatten(), nn.Linear(cin * size * size, classes))


def mlp(cin=1, size=28, classes=10, hidden=(256,), dropout=0.0):
    layers, width = [nn.Flatten()], cin * size * size
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()] + ([nn.Dropout(dropout)] if dropout > 0 else [])
        width = h
    return nn.Sequential(*layers, nn.Linear(width, classes))


def lenet_side(size):
    return ((size // 2) - 4) // 2


def lenet(cin=1, size=28, classes=10):
    s = lenet_side(size)
    return nn.Sequential(
        nn.Conv2d(cin, 6, kernel_size=5, padding=2), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Flatten(),
        nn.Linear(16 * s * s, 120), nn.Sigmoid(),
        nn.Linear(120, 84), nn.Sigmoid(),
        nn.Linear(84, classes))


def lenet_modern(cin=1, size=28, classes=10):
    s = lenet_side(size)
    return nn.Sequential(
        nn.Conv2d(cin, 6, kernel_size=5, padding=2), nn.BatchNorm2d(6), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Conv2d(6, 16, kernel_size=5), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Flatten(),
        nn.Linear(16 * s * s, 120), nn.BatchNorm1d(120), nn.ReLU(),
        nn.Linear(120, 84), nn.BatchNorm1d(84), nn.ReLU(),
        nn.Linear(84, classes))


# --- AlexNet (notes 7.1); the small variant swaps the 11x11/4 stem for 3x3/1 pad 1
def win(n, k, s=1, p=0):
    return (n + 2 * p - k) // s + 1


def alexnet(cin=1, size=224, classes=10, div=1, hidden=4096, small=False):
    c1, c2, c3 = scale(96, div), scale(256, div), scale(384, div)
    s = size if small else win(size, 11, 4, 1)
    s = win(win(win(win(s, 3, 2), 5, 1, 2), 3, 2), 3, 2)
    stem = nn.Conv2d(cin, c1, 3, 1, 1) if small else nn.Conv2d(cin, c1, kernel_size=11, stride=4, padding=1)
    return nn.Sequential(
        stem, nn.ReLU(), nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(c1, c2, kernel_size=5, padding=2), nn.ReLU(), nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(c2, c3, kernel_size=3, padding=1), nn.ReLU(),
        nn.Conv2d(c3, c3, kernel_size=3, padding=1), nn.ReLU(),
        nn.Conv2d(c3, c2, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Flatten(),
        nn.Linear(c2 * s * s, hidden), nn.ReLU(), nn.Dropout(p=0.5),
        nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(p=0.5),
        nn.Linear(hidden, classes))


# --- VGG (notes 7.2)
def vgg_block(num_convs, in_channels, out_channels):
    layers = []
    for _ in range(num_convs):
        layers.append(nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1))
        layers.append(nn.ReLU())
        in_channels = out_channels
    layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
    return nn.Sequential(*layers)


VGG11 = ((1, 64), (1, 128), (2, 256), (2, 512), (2, 512))


def vgg(conv_arch=VGG11, cin=1, size=224, classes=10, div=1, hidden=4096):
    conv_blks, s = [], size
    for (num_convs, out_channels) in conv_arch:
        out_channels = scale(out_channels, div)
        conv_blks.append(vgg_block(num_convs, cin, out_channels))
        cin, s = out_channels, s // 2
    return nn.Sequential(
        *conv_blks, nn.Flatten(),
        nn.Linear(cin * s * s, hidden), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(hidden, classes))


# --- NiN (notes 7.3)
def nin_block(in_channels, out_channels, kernel_size, strides, padding):
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size, strides, padding), nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, kernel_size=1), nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, kernel_size=1), nn.ReLU())


def nin(cin=1, classes=10, div=1):
    c1, c2, c3 = scale(96, div), scale(256, div), scale(384, div)
    return nn.Sequential(
        nin_block(cin, c1, kernel_size=11, strides=4, padding=0), nn.MaxPool2d(3, stride=2),
        nin_block(c1, c2, kernel_size=5, strides=1, padding=2), nn.MaxPool2d(3, stride=2),
        nin_block(c2, c3, kernel_size=3, strides=1, padding=1), nn.MaxPool2d(3, stride=2),
        nn.Dropout(0.5),
        nin_block(c3, classes, kernel_size=3, strides=1, padding=1),
        nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten())


# --- GoogLeNet (notes 7.4)
class Inception(nn.Module):
    def __init__(self, in_channels, c1, c2, c3, c4):
        super().__init__()
        self.p1_1 = nn.Conv2d(in_channels, c1, kernel_size=1)
        self.p2_1 = nn.Conv2d(in_channels, c2[0], kernel_size=1)
        self.p2_2 = nn.Conv2d(c2[0], c2[1], kernel_size=3, padding=1)
        self.p3_1 = nn.Conv2d(in_channels, c3[0], kernel_size=1)
        self.p3_2 = nn.Conv2d(c3[0], c3[1], kernel_size=5, padding=2)
        self.p4_1 = nn.MaxPool2d(kernel_size=3, stride=1, padding=1)
        self.p4_2 = nn.Conv2d(in_channels, c4, kernel_size=1)

    def forward(self, x):
        p1 = F.relu(self.p1_1(x))
        p2 = F.relu(self.p2_2(F.relu(self.p2_1(x))))
        p3 = F.relu(self.p3_2(F.relu(self.p3_1(x))))
        p4 = F.relu(self.p4_2(self.p4_1(x)))
        return torch.cat((p1, p2, p3, p4), dim=1)


def googlenet(cin=1, classes=10, div=1):
    w = lambda c: scale(c, div)
    # the channels between blocks are sums of the scaled widths (tracked in `channels`)
    b1 = nn.Sequential(nn.Conv2d(cin, w(64), kernel_size=7, stride=2, padding=3), nn.ReLU(),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b2 = nn.Sequential(nn.Conv2d(w(64), w(64), kernel_size=1), nn.ReLU(),
                       nn.Conv2d(w(64), w(192), kernel_size=3, padding=1), nn.ReLU(),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    cfg3 = [(64, (96, 128), (16, 32), 32), (128, (128, 192), (32, 96), 64)]
    cfg4 = [(192, (96, 208), (16, 48), 64), (160, (112, 224), (24, 64), 64), (128, (128, 256), (24, 64), 64),
            (112, (144, 288), (32, 64), 64), (256, (160, 320), (32, 128), 128)]
    cfg5 = [(256, (160, 320), (32, 128), 128), (384, (192, 384), (48, 128), 128)]
    channels = w(192)

    def stage(cfg):
        nonlocal channels
        blocks = []
        for c1, c2, c3, c4 in cfg:
            blocks.append(Inception(channels, w(c1), (w(c2[0]), w(c2[1])), (w(c3[0]), w(c3[1])), w(c4)))
            channels = w(c1) + w(c2[1]) + w(c3[1]) + w(c4)
        return blocks

    b3 = nn.Sequential(*stage(cfg3), nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b4 = nn.Sequential(*stage(cfg4), nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b5 = nn.Sequential(*stage(cfg5), nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten())
    return nn.Sequential(b1, b2, b3, b4, b5, nn.Linear(channels, classes))


# --- ResNet (notes 7.6)
class Residual(nn.Module):
    def __init__(self, input_channels, num_channels, use_1x1conv=False, strides=1):
        super().__init__()
        self.conv1 = nn.Conv2d(input_channels, num_channels, kernel_size=3, padding=1, stride=strides)
        self.conv2 = nn.Conv2d(num_channels, num_channels, kernel_size=3, padding=1)
        if use_1x1conv:
            self.conv3 = nn.Conv2d(input_channels, num_channels, kernel_size=1, stride=strides)
        else:
            self.conv3 = None
        self.bn1 = nn.BatchNorm2d(num_channels)
        self.bn2 = nn.BatchNorm2d(num_channels)

    def forward(self, X):
        Y = F.relu(self.bn1(self.conv1(X)))
        Y = self.bn2(self.conv2(Y))
        if self.conv3:
            X = self.conv3(X)
        Y += X
        return F.relu(Y)


def resnet_block(input_channels, num_channels, num_residuals, first_block=False):
    blk = []
    for i in range(num_residuals):
        if i == 0 and not first_block:
            blk.append(Residual(input_channels, num_channels, use_1x1conv=True, strides=2))
        else:
            blk.append(Residual(num_channels, num_channels))
    return blk


def resnet18(cin=1, classes=10, width=64, small=False):
    w = width
    if small:
        b1 = nn.Sequential(nn.Conv2d(cin, w, kernel_size=3, stride=1, padding=1), nn.BatchNorm2d(w), nn.ReLU())
    else:
        b1 = nn.Sequential(nn.Conv2d(cin, w, kernel_size=7, stride=2, padding=3), nn.BatchNorm2d(w), nn.ReLU(),
                           nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b2 = nn.Sequential(*resnet_block(w, w, 2, first_block=True))
    b3 = nn.Sequential(*resnet_block(w, 2 * w, 2))
    b4 = nn.Sequential(*resnet_block(2 * w, 4 * w, 2))
    b5 = nn.Sequential(*resnet_block(4 * w, 8 * w, 2))
    return nn.Sequential(b1, b2, b3, b4, b5, nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(8 * w, classes))


# --- DenseNet (notes 7.7)
def conv_block(input_channels, num_channels):
    return nn.Sequential(nn.BatchNorm2d(input_channels), nn.ReLU(),
                         nn.Conv2d(input_channels, num_channels, kernel_size=3, padding=1))


class DenseBlock(nn.Module):
    def __init__(self, num_convs, input_channels, num_channels):
        super().__init__()
        layer = []
        for i in range(num_convs):
            layer.append(conv_block(num_channels * i + input_channels, num_channels))
        self.net = nn.Sequential(*layer)

    def forward(self, X):
        for blk in self.net:
            Y = blk(X)
            X = torch.cat((X, Y), dim=1)
        return X


def transition_block(input_channels, num_channels):
    return nn.Sequential(nn.BatchNorm2d(input_channels), nn.ReLU(),
                         nn.Conv2d(input_channels, num_channels, kernel_size=1),
                         nn.AvgPool2d(kernel_size=2, stride=2))


def densenet(cin=1, classes=10, num_channels=64, growth_rate=32, convs=(4, 4, 4, 4)):
    b1 = nn.Sequential(nn.Conv2d(cin, num_channels, kernel_size=7, stride=2, padding=3), nn.BatchNorm2d(num_channels),
                       nn.ReLU(), nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    blks = []
    for i, num_convs in enumerate(convs):
        blks.append(DenseBlock(num_convs, num_channels, growth_rate))
        num_channels += num_convs * growth_rate
        if i != len(convs) - 1:
            blks.append(transition_block(num_channels, num_channels // 2))
            num_channels = num_channels // 2
    return nn.Sequential(b1, *blks, nn.BatchNorm2d(num_channels), nn.ReLU(),
                         nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(num_channels, classes))


# --- textCNN (notes 15.3); max-over-time pooling as the notes' text says (their code averages; no parameters either way)
class TextCNN(nn.Module):
    def __init__(self, vocab_size, embed_size, kernel_sizes, num_channels, classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.constant_embedding = nn.Embedding(vocab_size, embed_size)
        self.dropout = nn.Dropout(0.5)
        self.decoder = nn.Linear(sum(num_channels), classes)
        self.pool = nn.AdaptiveMaxPool1d(1)
        self.relu = nn.ReLU()
        self.convs = nn.ModuleList()
        for c, k in zip(num_channels, kernel_sizes):
            self.convs.append(nn.Conv1d(2 * embed_size, c, k))

    def forward(self, inputs):
        embeddings = torch.cat((self.embedding(inputs), self.constant_embedding(inputs)), dim=2)
        embeddings = embeddings.permute(0, 2, 1)
        encoding = torch.cat([torch.squeeze(self.relu(self.pool(conv(embeddings))), dim=-1) for conv in self.convs], dim=1)
        return self.decoder(self.dropout(encoding))


# Configurations: name -> PyTorch model. The C# test builds the same configuration under the same name.
MODELS = {
    "softmax_28": lambda: softmax_regression(),
    "softmax_rgb32_100": lambda: softmax_regression(3, 32, 100),
    "mlp_28": lambda: mlp(),
    "mlp_two_hidden_dropout": lambda: mlp(hidden=(256, 128), dropout=0.5),
    "lenet_28": lambda: lenet(),
    "lenet_rgb32_100": lambda: lenet(3, 32, 100),
    "lenet_modern_28": lambda: lenet_modern(),
    "alexnet_224": lambda: alexnet(),
    "alexnet_small_28": lambda: alexnet(size=28, small=True),
    "alexnet_rgb100_div4_h512": lambda: alexnet(3, 100, 7, div=4, hidden=512),
    "vgg11_small_224": lambda: vgg(div=4),
    "vgg_custom_64_div8_h256": lambda: vgg(((1, 32), (2, 64), (3, 128)), cin=3, size=64, classes=5, div=8, hidden=256),
    "nin_224": lambda: nin(),
    "nin_div4_rgb": lambda: nin(3, 20, div=4),
    "googlenet_96": lambda: googlenet(),
    "googlenet_div4_rgb": lambda: googlenet(3, 100, div=4),
    "resnet18_96": lambda: resnet18(),
    "resnet18_small_w16": lambda: resnet18(width=16, small=True),
    "resnet18_rgb_w32": lambda: resnet18(3, 100, width=32),
    "densenet_96": lambda: densenet(),
    "densenet_rgb_c16_g8_333": lambda: densenet(3, 7, 16, 8, (3, 3, 3)),
    "textcnn_notes": lambda: TextCNN(5000, 100, [3, 4, 5], [100, 100, 100]),
    "textcnn_small": lambda: TextCNN(50, 8, [2, 3], [4, 5], classes=3),
}


def describe(model):
    return {"params": sum(p.numel() for p in model.parameters()),
            "keys": [[k, list(v.shape)] for k, v in model.state_dict().items()]}


def compact(t):
    """encode() with float32 values written in their shortest round-trip form (~10 characters instead of ~19):
    the C# reader parses a double and rounds it to float32, which gives back exactly the same value."""
    e = encode(t)
    if t.dtype == torch.float32:
        e["data"] = [float(repr(np.float32(v))) for v in e["data"]]
    return e


def randomise(model):
    """Fixed random weights and non-trivial running statistics, so eval mode is tested beyond mean 0 / var 1."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.num_batches_tracked.fill_(3)
    return model


# Logit cases: (case name, model config, builder, input, modes)
def image(n, c, s):
    return torch.randn(n, c, s, s)


LOGITS = [
    ("lenet_16", lambda: lenet(1, 16, 10), lambda: image(2, 1, 16), ["train"]),
    ("lenet_modern_16", lambda: lenet_modern(1, 16, 10), lambda: image(2, 1, 16), ["train", "eval"]),
    ("resnet18_small_w3", lambda: resnet18(1, 10, width=3, small=True), lambda: image(2, 1, 12), ["train", "eval"]),
    ("resnet18_w2_rgb", lambda: resnet18(3, 5, width=2), lambda: image(2, 3, 32), ["train", "eval"]),
    ("googlenet_div32", lambda: googlenet(1, 10, div=32), lambda: image(2, 1, 20), ["eval"]),
    ("densenet_c8_g4", lambda: densenet(1, 10, 8, 4, (2, 2, 2)), lambda: image(2, 1, 24), ["train", "eval"]),
    ("nin_div16", lambda: nin(1, 10, div=16), lambda: image(2, 1, 67), ["eval"]),
    ("textcnn_small", lambda: TextCNN(50, 8, [2, 3], [4, 5], classes=3), lambda: torch.randint(0, 50, (2, 7)), ["eval"]),
]


def main():
    models = {name: describe(build()) for name, build in MODELS.items()}
    tv = torchvision.models
    torchvision_models = {
        # Same architecture as the notes' VGG-11 with 3 channels, 224x224 and 1000 classes.
        "vgg11": describe(tv.vgg11(weights=None)),
        # Not the notes' networks (for the comparison table in docs/MODELS.md only).
        "alexnet": describe(tv.alexnet(weights=None)),
        "resnet18": describe(tv.resnet18(weights=None)),
        "googlenet": describe(tv.googlenet(weights=None, aux_logits=False, init_weights=False)),
        "densenet121": describe(tv.densenet121(weights=None)),
    }
    models["vgg11_rgb224_1000"] = describe(vgg(cin=3, size=224, classes=1000))
    # The notes' VGG-11 (1 channel, 10 classes) is only printed, for docs/MODELS.md: building its 129 M parameters
    # in the C# test costs seconds, and vgg11_rgb224_1000 checks the same layout at full width.
    print(f"  vgg11_224 (not stored)       {describe(vgg())['params']:>12,d}")

    logits = []
    for name, build, make_input, modes in LOGITS:
        model = randomise(build())
        x = make_input()
        state = {k: compact(v) for k, v in model.state_dict().items()}
        outputs = {}
        for mode in modes:
            # train-mode BatchNorm updates the running statistics: run a copy so every mode starts from `state`
            clone = copy.deepcopy(model).train(mode == "train")
            with torch.no_grad():
                outputs[mode] = compact(clone(x))
        logits.append({"name": name, "input": compact(x), "state": state, "outputs": outputs})

    path = os.path.join(OUT, "zoo.json")
    with open(path, "w") as f:
        json.dump({"generator": "tools/golden/zoo.py", "torch": torch.__version__,
                   "torchvision": torchvision.__version__, "models": models,
                   "torchvision_models": torchvision_models, "logits": logits}, f)
    print(f"{path}: {len(models)} models, {len(logits)} logit cases")
    for name, m in list(models.items()) + [("tv." + k, v) for k, v in torchvision_models.items()]:
        print(f"  {name:28s} {m['params']:>12,d}")


if __name__ == "__main__":
    main()
