using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// Views that keep the row-major element order (reshape, view, flatten, squeeze, unsqueeze): the result
/// shares storage; the gradient is the upstream gradient reshaped back.
/// </summary>
internal sealed class ReshapeOp : Node
{
    int[] _inputShape = [];

    /// <summary>Attaches a precomputed view (shape and strides already valid for x's storage).</summary>
    public static Tensor Forward(Tensor x, int[] shape, int[] strides)
    {
        var y = new Tensor(x._storage, shape, strides, x._offset);
        return Graph.Wants(x) ? Graph.Attach(y, new ReshapeOp { _inputShape = x._shape }, x) : y;
    }

    /// <summary>Reshape: a view when the layout allows, otherwise a copy first.</summary>
    public static Tensor Reshape(Tensor x, int[] shape, string op)
    {
        shape = InferShape(shape, x.NumElements, x._shape, op);
        if (!x.IsContiguous) x = x.Contiguous();
        return Forward(x, shape, Layout.ContiguousStrides(shape));
    }

    /// <summary>Resolves one −1 entry and checks the element count.</summary>
    public static int[] InferShape(int[] shape, int numel, int[] from, string op)
    {
        var result = (int[])shape.Clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < result.Length; i++)
        {
            if (result[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"{op}: only one dimension can be inferred, got shape {Layout.Format(shape)}.");
                infer = i;
            }
            else if (result[i] < 0) throw new ArgumentException($"{op}: invalid dimension {result[i]} in shape {Layout.Format(shape)}.");
            else known *= result[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || numel % known != 0)
                throw new ArgumentException($"{op}: shape {Layout.Format(shape)} is invalid for input of shape {Layout.Format(from)} ({numel} elements).");
            result[infer] = (int)(numel / known);
        }
        else if (known != numel)
            throw new ArgumentException($"{op}: shape {Layout.Format(shape)} is invalid for input of shape {Layout.Format(from)} ({numel} elements).");
        return result;
    }

    internal override Tensor?[] Backward(Tensor g) => [g.Reshape(_inputShape)];
}
