namespace Nabla.Vision;

/// <summary>Non-maximum suppression (the notes' 13.4.4): of overlapping predictions of one object, keep the most confident.</summary>
public static class NonMaxSuppression
{
    /// <summary>
    /// The indices of the boxes kept, most confident first: take the box with the highest score, drop every remaining
    /// box whose IoU with it exceeds <paramref name="iouThreshold"/>, repeat. Equal scores keep their input order.
    /// </summary>
    public static Tensor Apply(Tensor boxes, Tensor scores, double iouThreshold)
    {
        var b = BoxTensors.Read(boxes, "nms", nameof(boxes), 2, 4);
        var s = BoxTensors.Read(scores, "nms", nameof(scores), 1);
        if (s.Length != b.Length / 4) throw new ArgumentException($"nms: {b.Length / 4} boxes but {s.Length} scores.");
        var keep = Apply(b, s, iouThreshold);
        return Tensor.From(keep.Select(i => (long)i).ToArray(), keep.Count);
    }

    internal static List<int> Apply(double[] boxes, double[] scores, double iouThreshold)
    {
        var order = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ToList();   // stable: ties in input order
        var keep = new List<int>();
        while (order.Count > 0)
        {
            int best = order[0];
            keep.Add(best);
            order = order.Skip(1).Where(i => BoundingBoxes.Iou(boxes, best, boxes, i) <= iouThreshold).ToList();
        }
        return keep;
    }
}
