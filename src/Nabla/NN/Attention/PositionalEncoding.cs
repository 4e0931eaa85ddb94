namespace Nabla.NN;

/// <summary>
/// The notes' sinusoidal positional encoding: a fixed table P [max_len, d] with
/// P[pos, 2i] = sin(pos / 10000^(2i/d)) and P[pos, 2i+1] = cos(pos / 10000^(2i/d)), added to the input
/// X [..., T, d] (positions along dim −2, the notes' [B, T, d]) and followed by dropout. The table is computed in
/// float64 and stored as a non-persistent buffer <c>P</c> (not in the state dict, as d2l keeps it an attribute).
/// An odd d ends with a sine column. A sequence longer than max_len throws, naming both lengths.
/// </summary>
public sealed class PositionalEncoding : Module
{
    readonly Dropout _dropout;

    public int NumHiddens { get; }
    public int MaxLen { get; }

    public PositionalEncoding(int numHiddens, double dropout = 0, int maxLen = 1000, DType dtype = DType.Float32)
    {
        if (numHiddens <= 0 || maxLen <= 0)
            throw new ArgumentException($"PositionalEncoding: num_hiddens and max_len must be positive, got {numHiddens} and {maxLen}.");
        if (!dtype.IsFloating())
            throw new ArgumentException($"PositionalEncoding: the table must be float32 or float64, got {dtype.TorchName()}.");
        NumHiddens = numHiddens;
        MaxLen = maxLen;
        _dropout = RegisterModule("dropout", new Dropout(dropout));
        RegisterBuffer("P", Table(maxLen, numHiddens).To(dtype), persistent: false);
    }

    /// <summary>The table [max_len, num_hiddens].</summary>
    public Tensor P => Buffer("P")!;

    static Tensor Table(int maxLen, int d)
    {
        var table = new double[maxLen * d];
        for (int pos = 0; pos < maxLen; pos++)
            for (int c = 0; c < d; c++)
            {
                // Columns 2i and 2i+1 share the frequency 1 / 10000^(2i/d).
                double angle = pos / Math.Pow(10000, (c - c % 2) / (double)d);
                table[pos * d + c] = c % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle);
            }
        return Tensor.From(table, maxLen, d);
    }

    public override Tensor Forward(Tensor input)
    {
        var t = PositionalTable.CheckInput(input, NumHiddens, MaxLen, TypeName);
        return _dropout.Forward(input + P.Narrow(0, 0, t).To(input.DType));
    }

    public override string ExtraRepr() => $"num_hiddens={NumHiddens}, max_len={MaxLen}";
}
