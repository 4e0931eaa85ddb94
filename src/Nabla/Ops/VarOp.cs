using Nabla.Autograd;
using Nabla.Backends.Cpu;

namespace Nabla.Ops;

/// <summary>
/// Variance or standard deviation over dims with a Bessel-style correction: Σ(x − mean)² / (n − correction).
/// d var/dx = 2(x − mean) / (n − correction); d std/dx = that / (2·std), taken as 0 where std is 0 (as PyTorch).
/// </summary>
internal sealed class VarOp : Node
{
    Tensor? _x, _y;
    bool[] _reduced = [];
    int[] _keptShape = [];
    double _divisor;
    bool _std;

    public override string Name => _std ? "StdBackward" : "VarBackward";

    public static Tensor Forward(Tensor x, int[]? dims, double correction, bool keepDim, bool std)
    {
        string op = std ? "std" : "var";
        if (!x.DType.IsFloating())
            throw new ArgumentException($"{op}: needs a floating tensor, got {x.DType.TorchName()} of shape {x.ShapeText}; convert with Float() first.");
        if (double.IsNaN(correction) || correction < 0)
            throw new ArgumentException($"{op}: correction must be a non-negative number, got {correction} (input of shape {x.ShapeText}).");
        var reduced = ReductionDims.Mask(x, dims, op);
        var y = MomentKernel.Var(x, reduced, correction, std);
        var kept = SumOp.KeptShape(x._shape, reduced);
        if (keepDim) y = y.Reshape(kept);
        if (!Graph.Wants(x)) return y;

        long n = 1;
        for (int i = 0; i < x.Rank; i++) if (reduced[i]) n *= x._shape[i];
        var node = new VarOp { _x = x.Detach(), _y = y.Detach(), _reduced = reduced, _keptShape = kept, _divisor = Math.Max(0, n - correction), _std = std };
        return Graph.Attach(y, node, x);
    }

    internal override Tensor?[] Backward(Tensor g)
    {
        var centred = _x! - _x!.Mean(ReducedList(), keepDim: true);
        var scale = g.Reshape(_keptShape) * (2.0 / _divisor);
        if (_std) scale = scale * MomentKernel.HalfReciprocalOrZero(_y!.Reshape(_keptShape));
        return [centred * scale];
    }

    int[] ReducedList() => Enumerable.Range(0, _reduced.Length).Where(i => _reduced[i]).ToArray();

    internal override void ReleaseSaved() => _x = _y = null;
}
