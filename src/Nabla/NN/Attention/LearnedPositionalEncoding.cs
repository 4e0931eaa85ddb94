namespace Nabla.NN;

/// <summary>
/// A learned positional encoding: a trainable table <c>weight</c> [max_len, num_hiddens] (an nn.Embedding over
/// positions, N(0, 1) at start as Embedding and d2l's BERT), whose first T rows are added to the input X [..., T, d],
/// then dropout. A sequence longer than max_len throws, naming both lengths.
/// </summary>
public sealed class LearnedPositionalEncoding : Module
{
    readonly Dropout _dropout;

    public int NumHiddens { get; }
    public int MaxLen { get; }

    public LearnedPositionalEncoding(int maxLen, int numHiddens, double dropout = 0, DType dtype = DType.Float32, Generator? generator = null)
    {
        if (numHiddens <= 0 || maxLen <= 0)
            throw new ArgumentException($"LearnedPositionalEncoding: num_hiddens and max_len must be positive, got {numHiddens} and {maxLen}.");
        if (!dtype.IsFloating())
            throw new ArgumentException($"LearnedPositionalEncoding: the table must be float32 or float64, got {dtype.TorchName()}.");
        NumHiddens = numHiddens;
        MaxLen = maxLen;
        var w = RegisterParameter("weight", Tensor.Zeros([maxLen, numHiddens], dtype));
        _dropout = RegisterModule("dropout", new Dropout(dropout));
        Init.Normal(w, 0, 1, generator);
    }

    public Tensor Weight => Param("weight")!;

    public override Tensor Forward(Tensor input)
    {
        var t = PositionalTable.CheckInput(input, NumHiddens, MaxLen, TypeName);
        return _dropout.Forward(input + Weight.Narrow(0, 0, t));
    }

    public override string ExtraRepr() => $"max_len={MaxLen}, num_hiddens={NumHiddens}";
}
