using Nabla.Models.Text;
namespace Nabla.Models.Translation;

static class Seq2SeqChecks
{
    /// <summary>Refuses anything but int64 ids [N, T] with N, T ≥ 1 (ids in range are checked by the embedding).</summary>
    public static void Ids(Tensor input, int vocabSize, string op)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.DType != DType.Int64 || input.Size(0) == 0 || input.Size(1) == 0)
            throw new ArgumentException($"{op}: expected int64 token ids of shape [batch, steps] with batch, steps ≥ 1 (vocabulary of {vocabSize}), got {input.DType.TorchName()} {input.Shape.ShapeString()}.");
    }
}
