namespace Nabla.NN;

/// <summary>
/// Bilinear ("general", Luong) attention, a(q, k) = kᵀ W q, computed as (W q)·k. The parameter <c>weight</c>
/// [key_size, query_size] is a bias-free Linear from queries to key space, initialised as Linear's weight
/// (U(−1/√query_size, 1/√query_size)).
/// </summary>
public sealed class BilinearAttention : AttentionPooling
{
    readonly int _keySize, _querySize;

    public BilinearAttention(int querySize, int keySize, double dropout = 0, DType dtype = DType.Float32, Generator? generator = null)
        : base(dropout)
    {
        if (querySize <= 0 || keySize <= 0)
            throw new ArgumentException($"BilinearAttention: query_size and key_size must be positive, got {querySize} and {keySize}.");
        _querySize = querySize;
        _keySize = keySize;
        var w = RegisterParameter("weight", Tensor.Zeros([keySize, querySize], dtype));
        Init.KaimingUniform(w, a: Math.Sqrt(5), generator: generator);
    }

    public Tensor Weight => Param("weight")!;

    protected override Tensor Scores(Tensor queries, Tensor keys)
    {
        if (queries.Size(-1) != _querySize || keys.Size(-1) != _keySize)
            throw new ArgumentException($"BilinearAttention: expected queries [..., Q, {_querySize}] and keys [..., K, {_keySize}], got {queries.ShapeText} and {keys.ShapeText}.");
        return Functional.Linear(queries, Weight, null, TypeName).MatMul(keys.Transpose(-2, -1));
    }

    public override string ExtraRepr() => $"query_size={_querySize}, key_size={_keySize}";
}
