"""Golden fixture for the segmentation basics (the notes' 13.9-13.11): the bilinear-interpolation kernel that
initialises FCN's transposed convolution, the upsampling it performs, the per-pixel cross-entropy, and pixel accuracy
and mean IoU from a confusion matrix. Writes tests/Nabla.Tests/Golden/segmentation.json.
Run with /usr/bin/python3 tools/golden/segmentation.py (PyTorch 1.13).
"""
import json

import torch
import torch.nn.functional as F

from common import encode, save_cases


def bilinear_kernel(channels, k):
    factor = (k + 1) // 2
    center = factor - 1 if k % 2 == 1 else factor - 0.5
    rows = torch.arange(k, dtype=torch.float64).reshape(-1, 1)
    cols = torch.arange(k, dtype=torch.float64).reshape(1, -1)
    filt = (1 - torch.abs(rows - center) / factor) * (1 - torch.abs(cols - center) / factor)
    weight = torch.zeros((channels, channels, k, k), dtype=torch.float64)
    weight[range(channels), range(channels), :, :] = filt
    return weight


def metrics(pred, target, classes):
    confusion = torch.zeros(classes, classes, dtype=torch.long)
    for p, t in zip(pred.reshape(-1).tolist(), target.reshape(-1).tolist()):
        confusion[t, p] += 1
    accuracy = confusion.diag().sum().item() / confusion.sum().item()
    inter = confusion.diag().double()
    union = confusion.sum(0).double() + confusion.sum(1).double() - inter
    present = union > 0
    return confusion, accuracy, (inter[present] / union[present]).mean().item()


def main():
    gen = torch.Generator().manual_seed(11)
    cases = [{"name": "kernel_4", "channels": 3, "k": 4, "weight": encode(bilinear_kernel(3, 4))},
             {"name": "kernel_3", "channels": 2, "k": 3, "weight": encode(bilinear_kernel(2, 3))}]
    x = torch.rand(1, 3, 5, 5, generator=gen, dtype=torch.float64)
    cases.append({"name": "upsample_2x", "input": encode(x),
                  "output": encode(F.conv_transpose2d(x, bilinear_kernel(3, 4), stride=2, padding=1))})
    logits = torch.randn(2, 4, 3, 5, generator=gen, dtype=torch.float64, requires_grad=True)
    target = torch.randint(0, 4, (2, 3, 5), generator=gen)
    loss = F.cross_entropy(logits, target)
    loss.backward()
    cases.append({"name": "pixel_cross_entropy", "logits": encode(logits), "target": encode(target), "loss": loss.item(), "grad": encode(logits.grad)})
    pred = torch.randint(0, 3, (2, 3, 5), generator=gen)        # class 3 is never predicted
    truth = torch.randint(0, 4, (2, 3, 5), generator=gen)
    confusion, accuracy, miou = metrics(pred, truth, 5)          # class 4 appears in neither: left out of the mean
    cases.append({"name": "metrics", "classes": 5, "prediction": encode(pred), "target": encode(truth),
                  "confusion": encode(confusion), "pixel_accuracy": accuracy, "mean_iou": miou})
    save_cases("segmentation", cases)
    print(f"accuracy {accuracy:.4f}, mean IoU {miou:.4f}")


if __name__ == "__main__":
    main()
