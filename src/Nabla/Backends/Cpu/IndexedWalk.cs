namespace Nabla.Backends.Cpu;

/// <summary>
/// Walks one shape with three operands' strides at once, row by row over the coalesced layout. Gather and
/// scatter use it to visit the index tensor, the data they read and the data they write in lockstep: the
/// indexed dim gets stride 0 in the operand it addresses, so the walk supplies the base position and the
/// kernel adds index × that dim's stride. Rank-0 shapes are walked as one element.
/// </summary>
internal sealed class IndexedWalk
{
    readonly int[] _dims, _s0, _s1, _s2, _index;
    readonly int _outerRank;

    /// <summary>Length of each row and the operands' strides along it.</summary>
    public readonly int Inner, Rows, Stride0, Stride1, Stride2;

    /// <summary>Each operand's position at the start of the current row.</summary>
    public int Pos0, Pos1, Pos2;

    public IndexedWalk(int[] shape, int[] s0, int o0, int[] s1, int o1, int[] s2, int o2)
    {
        bool scalar = shape.Length == 0;
        _dims = scalar ? [1] : (int[])shape.Clone();
        _s0 = scalar ? [0] : (int[])s0.Clone();
        _s1 = scalar ? [0] : (int[])s1.Clone();
        _s2 = scalar ? [0] : (int[])s2.Clone();
        int rank = Layout.Coalesce(_dims, _s0, _s1, _s2);
        _outerRank = rank - 1;
        _index = new int[rank];
        Inner = _dims[rank - 1];
        Stride0 = _s0[rank - 1];
        Stride1 = _s1[rank - 1];
        Stride2 = _s2[rank - 1];
        int n = Layout.NumElements(shape);
        Rows = Inner == 0 ? 0 : n / Inner;
        Pos0 = o0;
        Pos1 = o1;
        Pos2 = o2;
    }

    /// <summary>Moves every position to the start of the next row (odometer order over the outer dims).</summary>
    public void Next()
    {
        for (int d = _outerRank - 1; d >= 0; d--)
        {
            _index[d]++;
            Pos0 += _s0[d];
            Pos1 += _s1[d];
            Pos2 += _s2[d];
            if (_index[d] < _dims[d]) return;
            Pos0 -= _s0[d] * _dims[d];
            Pos1 -= _s1[d] * _dims[d];
            Pos2 -= _s2[d] * _dims[d];
            _index[d] = 0;
        }
    }
}
