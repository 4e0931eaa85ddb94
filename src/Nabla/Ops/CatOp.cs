using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// Joins tensors along an existing dim. The dtype is promoted across the inputs as PyTorch does (the casts
/// are recorded, so each gradient comes back in its input's dtype); each input's gradient is its band of
/// the upstream gradient. As in PyTorch, 1-D empty tensors (shape [0]) are skipped whatever the rank.
/// </summary>
internal sealed class CatOp : Node
{
    int _dim;
    int[] _starts = [], _lengths = [];
    bool[] _skipped = [];

    public static Tensor Forward(IReadOnlyList<Tensor> tensors, int dim)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException("cat: expected a non-empty list of tensors.");
        for (int i = 0; i < tensors.Count; i++)
            if (tensors[i] is null) throw new ArgumentNullException(nameof(tensors), $"cat: tensor {i} of the list is null.");

        var dtype = tensors[0].DType;
        int reference = -1;
        var skipped = new bool[tensors.Count];
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            dtype = DTypes.Promote(dtype, t.DType);
            if (t.Rank == 0)
                throw new ArgumentException($"cat: zero-dimensional tensor (at position {i}) cannot be concatenated; use Stack or Unsqueeze it first.");
            skipped[i] = t.Rank == 1 && t._shape[0] == 0;
            if (!skipped[i] && reference < 0) reference = i;
        }
        if (reference < 0) { reference = 0; skipped[0] = false; }

        var first = tensors[reference];
        int d = Layout.NormalizeDim(dim, first.Rank, "cat");
        var shape = (int[])first._shape.Clone();
        shape[d] = 0;
        var starts = new int[tensors.Count];
        var lengths = new int[tensors.Count];
        for (int i = 0; i < tensors.Count; i++)
        {
            if (skipped[i]) continue;
            var t = tensors[i];
            bool match = t.Rank == first.Rank;
            for (int k = 0; match && k < t.Rank; k++) match = k == d || t._shape[k] == first._shape[k];
            if (!match)
                throw new ArgumentException($"cat: sizes of tensors must match except in dimension {d}, but tensor {reference} has shape {first.ShapeText} and tensor {i} has shape {t.ShapeText}.");
            starts[i] = shape[d];
            lengths[i] = t._shape[d];
            shape[d] += t._shape[d];
        }

        var inputs = new Tensor[tensors.Count];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = tensors[i].To(dtype);
        var y = new Tensor(shape, dtype);
        var kept = new List<Tensor>(inputs.Length);
        for (int i = 0; i < inputs.Length; i++) if (!skipped[i]) kept.Add(inputs[i]);
        MovementKernel.Cat(kept, d, y);
        return Graph.Wants(inputs)
            ? Graph.Attach(y, new CatOp { _dim = d, _starts = starts, _lengths = lengths, _skipped = skipped }, inputs)
            : y;
    }

    internal override Tensor?[] Backward(Tensor g)
    {
        var grads = new Tensor?[Inputs.Length];
        for (int i = 0; i < grads.Length; i++)
        {
            if (!NeedsGrad(i)) continue;
            grads[i] = _skipped[i] ? Tensor.Zeros([0], g.DType) : g.Narrow(_dim, _starts[i], _lengths[i]);
        }
        return grads;
    }
}
