namespace Nabla.Vision;

/// <summary>
/// What a detector trains on (the notes' multibox_target, 13.4.3): for each anchor of each image, its class (0 the
/// background, c + 1 for ground-truth class c), the offsets of its assigned box, and a mask that is 1 on the offsets
/// of the anchors that have a box (so background anchors add nothing to the box loss).
/// </summary>
/// <param name="Offsets">[batch, anchors · 4], zero where the mask is zero.</param>
/// <param name="Mask">[batch, anchors · 4], 1 or 0.</param>
/// <param name="Classes">[batch, anchors], int64.</param>
public sealed record AnchorTargets(Tensor Offsets, Tensor Mask, Tensor Classes)
{
    /// <summary>
    /// Labels <paramref name="anchors"/> ([anchors, 4]) with <paramref name="labels"/> ([batch, objects, 5]: class,
    /// x_min, y_min, x_max, y_max per object; a negative class pads an image with fewer objects), assigning by
    /// <see cref="AnchorBoxes.Assign(Tensor, Tensor, double)"/> with <paramref name="threshold"/>.
    /// </summary>
    public static AnchorTargets For(Tensor anchors, Tensor labels, double threshold = 0.5)
    {
        var anc = BoxTensors.Read(anchors, "anchor targets", nameof(anchors), 2, 4);
        var lab = BoxTensors.Read(labels, "anchor targets", nameof(labels), 3, 5);
        int batch = labels.Size(0), objects = labels.Size(1), n = anc.Length / 4;
        var offsets = new double[batch * n * 4];
        var mask = new double[batch * n * 4];
        var classes = new long[batch * n];
        for (int b = 0; b < batch; b++)
        {
            var present = Enumerable.Range(0, objects).Where(o => lab[(b * objects + o) * 5] >= 0).ToArray();
            var truth = new double[present.Length * 4];
            for (int p = 0; p < present.Length; p++) Array.Copy(lab, (b * objects + present[p]) * 5 + 1, truth, p * 4, 4);
            var assigned = AnchorBoxes.Assign(truth, anc, threshold);
            var boxes = new double[n * 4];
            for (int a = 0; a < n; a++)
                if (assigned[a] >= 0)
                {
                    Array.Copy(truth, assigned[a] * 4, boxes, a * 4, 4);
                    classes[b * n + a] = (long)lab[(b * objects + present[assigned[a]]) * 5] + 1;
                }
            var off = AnchorBoxes.Offsets(anc, boxes);
            for (int a = 0; a < n; a++)
                if (assigned[a] >= 0)
                    for (int k = 0; k < 4; k++)
                    {
                        offsets[(b * n + a) * 4 + k] = off[a * 4 + k];
                        mask[(b * n + a) * 4 + k] = 1;
                    }
        }
        return new AnchorTargets(BoxTensors.Write(offsets, labels.DType, batch, n * 4), BoxTensors.Write(mask, labels.DType, batch, n * 4),
            Tensor.From(classes, batch, n));
    }
}
