using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// Dim validation for the reductions family. It checks every dim against the tensor's shape first, so the
/// error names the op and the shape (Layout.NormalizeDim only knows the rank), then defers to
/// <see cref="SumOp.ReducedDims"/> for the actual mask so every reduction reads dims the same way.
/// </summary>
internal static class ReductionDims
{
    /// <summary>One dim, normalised to 0..rank−1 (a 0-d tensor accepts −1 and 0, as PyTorch does).</summary>
    public static int Normalize(Tensor x, int dim, string op)
    {
        int r = Math.Max(x.Rank, 1);
        if (dim < -r || dim >= r)
            throw new ArgumentOutOfRangeException(nameof(dim),
                $"{op}: dimension {dim} is out of range for a tensor of shape {x.ShapeText} (expected {-r}..{r - 1}).");
        return Layout.NormalizeDim(dim, x.Rank, op);
    }

    /// <summary>The reduced-dims mask (all dims when <paramref name="dims"/> is null or empty).</summary>
    public static bool[] Mask(Tensor x, int[]? dims, string op)
    {
        var seen = new bool[Math.Max(x.Rank, 1)];
        foreach (int dim in dims ?? [])
        {
            int d = Normalize(x, dim, op);
            if (seen[d] && x.Rank > 0)
                throw new ArgumentException($"{op}: dimension {d} appears more than once in the dims {Layout.Format(dims)} for a tensor of shape {x.ShapeText}.");
            seen[d] = true;
        }
        return SumOp.ReducedDims(x, dims, op);
    }
}
