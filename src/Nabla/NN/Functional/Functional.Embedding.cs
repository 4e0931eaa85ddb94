using Nabla.Backends.Cpu;
using Nabla.Ops;

namespace Nabla.NN;

public static partial class Functional
{
    /// <summary>
    /// Looks up rows of <paramref name="weight"/> [num_embeddings, embedding_dim] for an int64 <paramref name="input"/>
    /// of any shape; the result is [...input, embedding_dim]. The row <paramref name="paddingIdx"/> (negative counts
    /// from the end) is read as stored but receives no gradient.
    /// </summary>
    public static Tensor Embedding(Tensor input, Tensor weight, int? paddingIdx = null) => Embedding(input, weight, paddingIdx, "embedding");

    internal static Tensor Embedding(Tensor input, Tensor weight, int? paddingIdx, string op)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2)
            throw new ArgumentException($"{op}: weight must be 2-D [num_embeddings, embedding_dim], got shape {weight.ShapeText}.");
        if (input.DType != DType.Int64)
            throw new ArgumentException($"{op}: expected an int64 index tensor, got {input.DType.TorchName()} of shape {input.ShapeText}; convert it with Long().");
        int count = weight._shape[0];
        int padding = NormalizePaddingIdx(paddingIdx, count, op);
        var positions = input.Detach().Contiguous().ToArray<long>();
        foreach (long i in positions)
            if ((ulong)i >= (ulong)count)
                throw new IndexOutOfRangeException($"{op}: index {i} is out of range for {count} embeddings (weight of shape {weight.ShapeText}, input of shape {input.ShapeText}).");
        return EmbeddingOp.Forward(weight, positions, input._shape, padding);
    }

    /// <summary>padding_idx in [−count, count) as PyTorch accepts it, made non-negative; −1 stands for none.</summary>
    internal static int NormalizePaddingIdx(int? paddingIdx, int count, string op)
    {
        if (paddingIdx is not { } p) return -1;
        if (p < -count || p >= count)
            throw new ArgumentException($"{op}: padding_idx {p} must be within num_embeddings {count}.");
        return p < 0 ? p + count : p;
    }
}
