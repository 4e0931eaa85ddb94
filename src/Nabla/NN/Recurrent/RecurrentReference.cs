using Nabla.Ops;

namespace Nabla.NN;

/// <summary>
/// One direction of one recurrent layer over a whole sequence, composed step by step from the cell functions
/// (one small graph per step). It is the twin the fused <see cref="Ops.RecurrentSequenceOp"/> is tested against,
/// and it defines the semantics: steps run t = 0..T−1 (reverse: T−1..0); with lengths, step t of sequence b is
/// active iff t &lt; lengths[b]; an inactive step leaves the state unchanged and outputs zeros, so a reverse pass
/// starts from the initial state at each sequence's own last valid step (PyTorch's packed sequences).
/// </summary>
internal static class RecurrentReference
{
    /// <summary>x [T, N, in], h0 and c0 [N, hidden]. Returns the outputs [T, N, hidden] and the final state.</summary>
    public static (Tensor Output, Tensor H, Tensor? C) Run(RecurrentMode mode, Tensor x, Tensor h0, Tensor? c0,
        Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh, bool reverse, int[]? lengths)
    {
        int steps = x.Size(0), batch = x.Size(1);
        var outputs = new Tensor[steps];
        Tensor h = h0, c = c0!;
        for (int s = 0; s < steps; s++)
        {
            int t = reverse ? steps - 1 - s : s;
            var xt = x.Select(0, t);
            Tensor hNext, cNext = c;
            switch (mode)
            {
                case RecurrentMode.Lstm: (hNext, cNext) = Functional.LstmCell(xt, h, c, wIh, wHh, bIh, bHh); break;
                case RecurrentMode.Gru: hNext = Functional.GruCell(xt, h, wIh, wHh, bIh, bHh); break;
                default: hNext = Functional.RnnCell(xt, h, wIh, wHh, bIh, bHh, mode == RecurrentMode.RnnRelu ? "relu" : "tanh"); break;
            }
            if (lengths is null)
            {
                outputs[t] = hNext;
                h = hNext;
                c = cNext;
                continue;
            }
            var active = new bool[batch, 1];
            for (int b = 0; b < batch; b++) active[b, 0] = t < lengths[b];
            var mask = Tensor.From(active);
            outputs[t] = Tensor.Where(mask, hNext, 0.0);
            h = Tensor.Where(mask, hNext, h);
            if (mode == RecurrentMode.Lstm) c = Tensor.Where(mask, cNext, c);
        }
        return (Tensor.Stack(outputs, 0), h, mode == RecurrentMode.Lstm ? c : null);
    }
}
