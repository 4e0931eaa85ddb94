namespace Nabla.Backends.Cpu;

/// <summary>
/// Walks two broadcast operands and a dense output row by row over their coalesced layout.
/// Each row is <see cref="Inner"/> elements long; <see cref="APos"/>/<see cref="BPos"/> are the operands' offsets.
/// </summary>
internal sealed class BroadcastWalk
{
    readonly int[] _dims, _sa, _sb, _so, _index;
    readonly int _outerRank;

    public readonly int Inner, Rows, AStride, BStride;
    public int APos, BPos, OutPos;

    public BroadcastWalk(Tensor a, Tensor b, Tensor output)
    {
        var shape = output._shape;
        _dims = shape.Length == 0 ? [1] : (int[])shape.Clone();
        _sa = shape.Length == 0 ? [0] : Layout.BroadcastStrides(a._shape, a._strides, shape);
        _sb = shape.Length == 0 ? [0] : Layout.BroadcastStrides(b._shape, b._strides, shape);
        _so = shape.Length == 0 ? [1] : Layout.ContiguousStrides(shape);
        int rank = Layout.Coalesce(_dims, _sa, _sb, _so);
        _outerRank = rank - 1;
        _index = new int[rank];
        Inner = _dims[rank - 1];
        AStride = _sa[rank - 1];
        BStride = _sb[rank - 1];
        Rows = Inner == 0 ? 0 : output.NumElements / Inner;
        APos = a._offset;
        BPos = b._offset;
    }

    public void Next()
    {
        for (int d = _outerRank - 1; d >= 0; d--)
        {
            _index[d]++;
            APos += _sa[d];
            BPos += _sb[d];
            OutPos += _so[d];
            if (_index[d] < _dims[d]) return;
            APos -= _sa[d] * _dims[d];
            BPos -= _sb[d] * _dims[d];
            OutPos -= _so[d] * _dims[d];
            _index[d] = 0;
        }
    }
}
