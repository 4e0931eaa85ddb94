namespace Nabla.Backends.Cpu;

/// <summary>Shape and stride arithmetic shared by every kernel: contiguity, broadcasting, dim normalisation.</summary>
internal static class Layout
{
    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= Math.Max(shape[i], 1);
        }
        return strides;
    }

    public static int NumElements(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape) n *= d;
        if (n > Array.MaxLength) throw new ArgumentException($"A tensor of shape {Format(shape)} has {n} elements, more than one buffer can hold.");
        return (int)n;
    }

    public static bool IsContiguous(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        int expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] == 1) continue;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>NumPy/PyTorch broadcasting: align right, each pair of sizes equal or one of them 1.</summary>
    public static int[] BroadcastShapes(ReadOnlySpan<int> a, ReadOnlySpan<int> b, string op)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"{op}: shapes {Format(a)} and {Format(b)} cannot be broadcast together (dimension {i}: {da} vs {db}).");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>Strides that read a tensor of <paramref name="shape"/>/<paramref name="strides"/> as if it had <paramref name="target"/> shape: broadcast dims get stride 0.</summary>
    public static int[] BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, ReadOnlySpan<int> target)
    {
        var result = new int[target.Length];
        int lead = target.Length - shape.Length;
        for (int i = 0; i < shape.Length; i++)
            result[lead + i] = shape[i] == 1 && target[lead + i] != 1 ? 0 : strides[i];
        return result;
    }

    /// <summary>Turns a possibly negative dim into 0..rank-1, or throws naming the op.</summary>
    public static int NormalizeDim(int dim, int rank, string op)
    {
        int r = Math.Max(rank, 1);
        if (dim < -r || dim >= r)
            throw new ArgumentOutOfRangeException(nameof(dim), $"{op}: dimension {dim} is out of range for a tensor of rank {rank} (expected {-r}..{r - 1}).");
        return dim < 0 ? dim + r : dim;
    }

    /// <summary>
    /// Merges adjacent dims that every operand walks contiguously, so strided loops run over as few,
    /// as long rows as possible. All stride arrays are rewritten in place to the merged layout.
    /// </summary>
    public static int Coalesce(int[] shape, params int[][] strides)
    {
        if (shape.Length == 0) return 0;
        int rank = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 1 && shape.Length > 1) continue;
            if (rank > 0 && CanMerge(shape, strides, rank - 1, i))
            {
                foreach (var s in strides) s[rank - 1] = s[i];
                shape[rank - 1] *= shape[i];
                continue;
            }
            shape[rank] = shape[i];
            foreach (var s in strides) s[rank] = s[i];
            rank++;
        }
        if (rank == 0) { shape[0] = 1; foreach (var s in strides) s[0] = 0; rank = 1; }
        return rank;
    }

    static bool CanMerge(int[] shape, int[][] strides, int outer, int inner)
    {
        foreach (var s in strides)
            if (s[outer] != s[inner] * shape[inner]) return false;
        return true;
    }
}
