namespace Nabla.Vision;

/// <summary>
/// Bounding boxes as the notes write them (13.3): rows of (x_min, y_min, x_max, y_max) corners, or of
/// (center x, center y, width, height); and their intersection over union (Jaccard index, 13.4.2).
/// </summary>
public static class BoundingBoxes
{
    /// <summary>[n, 4] corners to [n, 4] (cx, cy, w, h).</summary>
    public static Tensor CornerToCenter(Tensor boxes)
    {
        var b = BoxTensors.Read(boxes, "corner_to_center", nameof(boxes), 2, 4);
        var c = new double[b.Length];
        for (int i = 0; i < b.Length; i += 4)
            (c[i], c[i + 1], c[i + 2], c[i + 3]) = ((b[i] + b[i + 2]) / 2, (b[i + 1] + b[i + 3]) / 2, b[i + 2] - b[i], b[i + 3] - b[i + 1]);
        return BoxTensors.Write(c, boxes.DType, b.Length / 4, 4);
    }

    /// <summary>[n, 4] (cx, cy, w, h) to [n, 4] corners.</summary>
    public static Tensor CenterToCorner(Tensor boxes)
    {
        var c = BoxTensors.Read(boxes, "center_to_corner", nameof(boxes), 2, 4);
        var b = new double[c.Length];
        for (int i = 0; i < c.Length; i += 4)
            (b[i], b[i + 1], b[i + 2], b[i + 3]) = (c[i] - c[i + 2] / 2, c[i + 1] - c[i + 3] / 2, c[i] + c[i + 2] / 2, c[i + 1] + c[i + 3] / 2);
        return BoxTensors.Write(b, boxes.DType, c.Length / 4, 4);
    }

    /// <summary>
    /// [n, m]: the area of the intersection of box i of <paramref name="a"/> and box j of <paramref name="b"/> (corners)
    /// over the area of their union; 0 for boxes that do not meet.
    /// </summary>
    public static Tensor Iou(Tensor a, Tensor b)
    {
        var x = BoxTensors.Read(a, "box_iou", nameof(a), 2, 4);
        var y = BoxTensors.Read(b, "box_iou", nameof(b), 2, 4);
        return BoxTensors.Write(Iou(x, y), a.DType, x.Length / 4, y.Length / 4);
    }

    internal static double[] Iou(double[] a, double[] b)
    {
        int n = a.Length / 4, m = b.Length / 4;
        var result = new double[n * m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) result[i * m + j] = Iou(a, i, b, j);
        return result;
    }

    internal static double Iou(double[] a, int i, double[] b, int j)
    {
        double w = Math.Max(0, Math.Min(a[4 * i + 2], b[4 * j + 2]) - Math.Max(a[4 * i], b[4 * j]));
        double h = Math.Max(0, Math.Min(a[4 * i + 3], b[4 * j + 3]) - Math.Max(a[4 * i + 1], b[4 * j + 1]));
        double inter = w * h;
        double union = Area(a, i) + Area(b, j) - inter;
        return inter / union;
    }

    static double Area(double[] boxes, int i) => (boxes[4 * i + 2] - boxes[4 * i]) * (boxes[4 * i + 3] - boxes[4 * i + 1]);
}
