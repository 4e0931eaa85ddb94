using Nabla.Backends.Cpu;

namespace Nabla.NN;

/// <summary>
/// Merges dims <see cref="StartDim"/>..<see cref="EndDim"/> into one (PyTorch's nn.Flatten). The defaults keep the
/// batch dim: [N, C, H, W] becomes [N, C·H·W]. A view whenever the layout allows.
/// </summary>
public sealed class Flatten : Module
{
    public int StartDim { get; }
    public int EndDim { get; }

    public Flatten(int startDim = 1, int endDim = -1)
    {
        StartDim = startDim;
        EndDim = endDim;
    }

    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int rank = Math.Max(input.Rank, 1);
        bool inRange = StartDim >= -rank && StartDim < rank && EndDim >= -rank && EndDim < rank;
        if (!inRange || Norm(StartDim, rank) > Norm(EndDim, rank))
            throw new ArgumentException($"Flatten: start_dim={StartDim} and end_dim={EndDim} do not describe a range of dims of the input of shape {input.ShapeText}.");
        return input.Flatten(StartDim, EndDim);
    }

    static int Norm(int dim, int rank) => dim < 0 ? dim + rank : dim;

    public override string ExtraRepr() => $"start_dim={StartDim}, end_dim={EndDim}";
}

/// <summary>
/// Splits dim <see cref="Dim"/> into <see cref="UnflattenedSize"/> (PyTorch's nn.Unflatten), the inverse of
/// <see cref="Flatten"/>: Unflatten(1, [C, H, W]) turns [N, C·H·W] back into [N, C, H, W]. One size may be −1.
/// </summary>
public sealed class Unflatten : Module
{
    readonly int[] _sizes;

    public int Dim { get; }
    public int[] UnflattenedSize => (int[])_sizes.Clone();

    public Unflatten(int dim, params int[] unflattenedSize)
    {
        ArgumentNullException.ThrowIfNull(unflattenedSize);
        if (unflattenedSize.Length == 0)
            throw new ArgumentException("Unflatten: unflattened_size must name at least one size.");
        if (unflattenedSize.Count(s => s == -1) > 1 || unflattenedSize.Any(s => s < -1))
            throw new ArgumentException($"Unflatten: unflattened_size ({string.Join(", ", unflattenedSize)}) may hold non-negative sizes and at most one -1.");
        Dim = dim;
        _sizes = (int[])unflattenedSize.Clone();
    }

    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Dim < -input.Rank || Dim >= input.Rank)
            throw new ArgumentException($"Unflatten: dim {Dim} is out of range for the input of shape {input.ShapeText}.");
        int d = Dim < 0 ? Dim + input.Rank : Dim;
        int size = input._shape[d];
        var sizes = (int[])_sizes.Clone();
        int known = 1, free = Array.IndexOf(sizes, -1);
        foreach (int s in sizes) if (s != -1) known *= s;
        if (free >= 0 && known != 0 && size % known == 0) sizes[free] = size / known;
        if (Layout.NumElements(sizes) != size || (free >= 0 && sizes[free] == -1))
            throw new ArgumentException($"Unflatten: unflattened_size {Tuple(_sizes)} does not multiply to the size {size} of dim {Dim} of the input of shape {input.ShapeText}.");
        return input.Reshape([.. input._shape[..d], .. sizes, .. input._shape[(d + 1)..]]);
    }

    public override string ExtraRepr() => $"dim={Dim}, unflattened_size={Tuple(_sizes)}";

    /// <summary>A Python tuple's text: (2, 5), or (5,) for one element.</summary>
    static string Tuple(int[] sizes) => sizes.Length == 1 ? $"({sizes[0]},)" : "(" + string.Join(", ", sizes) + ")";
}
