namespace Nabla.NN;

/// <summary>
/// A 2-D size argument (kernel, stride, padding, dilation, output size) given as one int for both axes or as
/// a (height, width) pair, like PyTorch's <c>_size_2_t</c>. It remembers which form it was given in, because
/// pooling layers print it back as given ("kernel_size=2" versus "kernel_size=(2, 3)").
/// </summary>
public readonly record struct Size2
{
    public int H { get; }
    public int W { get; }
    /// <summary>Given as a single int.</summary>
    public bool IsScalar { get; }

    public Size2(int both) { H = W = both; IsScalar = true; }

    public Size2(int h, int w) { H = h; W = w; IsScalar = false; }

    public static implicit operator Size2(int both) => new(both);

    public static implicit operator Size2((int H, int W) pair) => new(pair.H, pair.W);

    /// <summary>As PyTorch prints the value it was given: "2" or "(2, 3)".</summary>
    public override string ToString() => IsScalar ? H.ToString() : TupleText;

    /// <summary>As PyTorch prints a size it normalised to a pair: "(2, 2)".</summary>
    public string TupleText => $"({H}, {W})";

    internal bool IsZero => H == 0 && W == 0;
    internal bool IsOne => H == 1 && W == 1;
}

/// <summary>
/// The padding of a convolution: an int, a (height, width) pair, or one of PyTorch's strings "valid" (no
/// padding) and "same" (output as large as the input; stride 1 only; an odd total padding puts the extra
/// row/column at the bottom/right, as PyTorch does).
/// </summary>
public readonly record struct ConvPadding
{
    /// <summary>"same", "valid", or null for explicit sizes.</summary>
    public string? Mode { get; }
    public Size2 Size { get; }

    ConvPadding(string? mode, Size2 size) { Mode = mode; Size = size; }

    public static ConvPadding Same => new("same", 0);
    public static ConvPadding Valid => new("valid", 0);

    public static implicit operator ConvPadding(int both) => new(null, both);

    public static implicit operator ConvPadding((int H, int W) pair) => new(null, pair);

    public static implicit operator ConvPadding(Size2 size) => new(null, size);

    public static implicit operator ConvPadding(string mode) => mode switch
    {
        "same" => Same,
        "valid" => Valid,
        _ => throw new ArgumentException($"padding: invalid padding string '{mode}', should be one of 'valid' or 'same'."),
    };

    public override string ToString() => Mode ?? Size.ToString();
}
