namespace Nabla.NN;

/// <summary>The input contract shared by the positional encodings: X [..., T, d] with T ≤ max_len.</summary>
static class PositionalTable
{
    /// <summary>Returns the sequence length T after checking the shape and that the table is long enough.</summary>
    internal static int CheckInput(Tensor input, int numHiddens, int maxLen, string op)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2 || input.Size(-1) != numHiddens)
            throw new ArgumentException($"{op}: expected input [..., T, {numHiddens}] (positions along dim −2), got shape {input.ShapeText}.");
        if (!input.DType.IsFloating())
            throw new ArgumentException($"{op}: expected a floating-point input, got {input.DType.TorchName()} of shape {input.ShapeText}.");
        int t = input.Size(-2);
        if (t > maxLen)
            throw new ArgumentException($"{op}: the sequence has {t} positions (input shape {input.ShapeText}) but the positional table holds max_len = {maxLen}; build the encoding with a larger max_len.");
        return t;
    }
}
