using Nabla.NN;
using Nabla.Ops;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN.Recurrent;

/// <summary>
/// The fused whole-sequence node (RecurrentSequenceOp) against its composed twin (RecurrentReference: the cell
/// functions step by step), forward and every gradient, in float64 so that any difference is a bug, not rounding.
/// Covers every mode, both directions, lengths (incl. a length-1 sequence), and a non-contiguous input.
/// </summary>
public class RecurrentFusedTwinTests
{
    const int T = 6, N = 4, I = 5, H = 7;

    public static IEnumerable<object[]> Cases()
    {
        foreach (var mode in new[] { RecurrentMode.RnnTanh, RecurrentMode.RnnRelu, RecurrentMode.Lstm, RecurrentMode.Gru })
            foreach (bool reverse in new[] { false, true })
                foreach (bool lengths in new[] { false, true })
                    foreach (bool bias in new[] { true, false })
                        yield return [(int)mode, reverse, lengths, bias];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FusedMatchesComposed(int modeIndex, bool reverse, bool withLengths, bool bias)
    {
        var mode = (RecurrentMode)modeIndex;
        int seed = (int)mode * 16 + (reverse ? 8 : 0) + (withLengths ? 4 : 0) + (bias ? 2 : 0);
        int g = mode.Gates() * H;
        // x is given as a transposed [N, T, I] view, as a batch-first layer passes it.
        var inputs = new List<Tensor>
        {
            GradCheckInputs.Uniform(seed + 1, N, T, I), GradCheckInputs.Uniform(seed + 2, N, H),
            GradCheckInputs.Uniform(seed + 3, N, H), GradCheckInputs.Uniform(seed + 4, g, I),
            GradCheckInputs.Uniform(seed + 5, g, H), GradCheckInputs.Uniform(seed + 6, g), GradCheckInputs.Uniform(seed + 7, g),
        };
        int[]? lengths = withLengths ? [6, 1, 3, 6] : null;
        var upstream = GradCheckInputs.Uniform(seed + 8, T * N * H + 2 * N * H);

        (Tensor Out, Tensor?[] Grads) Run(bool fused)
        {
            var leaves = inputs.Select(t => t.Clone().RequiresGrad_()).ToArray();
            var x = leaves[0].Transpose(0, 1);
            var c0 = mode == RecurrentMode.Lstm ? leaves[2] : null;
            Tensor? bIh = bias ? leaves[5] : null, bHh = bias ? leaves[6] : null;
            var (y, h, c) = fused
                ? RecurrentLayer.RunDirection(mode, x, leaves[1], c0, leaves[3], leaves[4], bIh, bHh, reverse, lengths)
                : RecurrentReference.Run(mode, x, leaves[1], c0, leaves[3], leaves[4], bIh, bHh, reverse, lengths);
            var flat = Tensor.Cat([y.Reshape(-1), h.Reshape(-1), (c ?? h * 0.0).Reshape(-1)]);
            (flat * upstream).Sum().Backward();
            return (flat, leaves.Select(l => l.Grad).ToArray());
        }

        var (fusedOut, fusedGrads) = Run(true);
        var (twinOut, twinGrads) = Run(false);
        TensorAssert.Close(twinOut, fusedOut, 1e-12, 1e-12, "output");
        string[] names = ["x", "h0", "c0", "weight_ih", "weight_hh", "bias_ih", "bias_hh"];
        for (int i = 0; i < names.Length; i++)
        {
            bool expected = (i != 2 || mode == RecurrentMode.Lstm) && (i < 5 || bias);
            if (!expected)
            {
                Assert.True(fusedGrads[i] is null || fusedGrads[i]!.Abs().Max().Item() == 0, $"{names[i]} should get no gradient");
                continue;
            }
            Assert.NotNull(fusedGrads[i]);
            TensorAssert.Close(twinGrads[i]!, fusedGrads[i]!, 1e-12, 1e-12, $"gradient of {names[i]}");
        }
    }

    [Fact]
    public void FusedNodeIsOneGraphNodePerLayerDirection()
    {
        var lstm = new LSTM(3, 4, generator: new Generator(1));
        var y = lstm.Forward(Tensor.Randn([5, 2, 3], generator: new Generator(2))).Output;
        // The output is a view (Narrow) of the fused node's packed result, not a stack of per-step results.
        Assert.Equal("SliceBackward", y.GradFnName);
        Assert.Equal("RecurrentSequenceBackward", y.GradFn!.Inputs[0]!.GradFnName);
    }

    [Fact]
    public void NoGraphUnderNoGrad()
    {
        var gru = new GRU(3, 4, generator: new Generator(3));
        using var _ = new Nabla.Autograd.NoGrad();
        var r = gru.Forward(Tensor.Randn([5, 2, 3], generator: new Generator(4)));
        Assert.False(r.Output.RequiresGrad);
        Assert.Null(r.State.H.GradFnName);
    }
}
