using Nabla.Backends.Cpu;
using Nabla.NN;
using Nabla.Ops;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN.Recurrent;

/// <summary>
/// The fused node splits its time loops over threads by batch rows once the recurrent products are big enough.
/// These sizes are past that threshold: the split run must match the composed twin in float64 and give
/// bit-identical results (outputs and all seven gradients) with one thread and with two in float32.
/// </summary>
[Collection(GlobalThreadCountCollection.Name)]
public class RecurrentThreadingTests
{
    const int T = 12, N = 17, I = 9, H = 128;   // N = 17: an uneven split (9 + 8 rows) with ragged GEMM tiles

    public static IEnumerable<object[]> Cases()
    {
        foreach (var mode in new[] { RecurrentMode.RnnTanh, RecurrentMode.Lstm, RecurrentMode.Gru })
            foreach (bool reverse in new[] { false, true })
                foreach (bool lengths in new[] { false, true })
                    yield return [(int)mode, reverse, lengths];
    }

    static (Tensor Out, Tensor?[] Grads) Run(RecurrentMode mode, bool reverse, bool withLengths, DType dtype, bool fused, int seed)
    {
        int g = mode.Gates() * H;
        Tensor U(int s, params int[] shape) => GradCheckInputs.Uniform(seed + s, shape).To(dtype);
        var leaves = new[] { U(1, N, T, I), U(2, N, H), U(3, N, H), U(4, g, I), U(5, g, H), U(6, g), U(7, g) }
            .Select(t => (t * 0.3).Detach().RequiresGrad_()).ToArray();
        int[]? lengths = withLengths ? Enumerable.Range(0, N).Select(b => 1 + (b * 5) % T).ToArray() : null;
        var x = leaves[0].Transpose(0, 1);
        var c0 = mode == RecurrentMode.Lstm ? leaves[2] : null;
        var (y, h, c) = fused
            ? RecurrentLayer.RunDirection(mode, x, leaves[1], c0, leaves[3], leaves[4], leaves[5], leaves[6], reverse, lengths)
            : RecurrentReference.Run(mode, x, leaves[1], c0, leaves[3], leaves[4], leaves[5], leaves[6], reverse, lengths);
        var flat = Tensor.Cat([y.Reshape(-1), h.Reshape(-1), (c ?? h * 0.0).Reshape(-1)]);
        var upstream = U(8, flat.NumElements);
        (flat * upstream).Sum().Backward();
        return (flat.Detach(), leaves.Select(l => l.Grad).ToArray());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SplitRunMatchesComposedTwin(int modeIndex, bool reverse, bool withLengths)
    {
        var mode = (RecurrentMode)modeIndex;
        var (fusedOut, fusedGrads) = Run(mode, reverse, withLengths, DType.Float64, fused: true, seed: 40 + modeIndex);
        var (twinOut, twinGrads) = Run(mode, reverse, withLengths, DType.Float64, fused: false, seed: 40 + modeIndex);
        TensorAssert.Close(twinOut, fusedOut, 1e-12, 1e-12, "output");
        for (int i = 0; i < 7; i++)
        {
            if (i == 2 && mode != RecurrentMode.Lstm) continue;
            TensorAssert.Close(twinGrads[i]!, fusedGrads[i]!, 1e-12, 1e-12, $"gradient {i}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OneAndTwoThreadsGiveIdenticalBits(int modeIndex, bool reverse, bool withLengths)
    {
        var mode = (RecurrentMode)modeIndex;
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 1;
            var (out1, grads1) = Run(mode, reverse, withLengths, DType.Float32, fused: true, seed: 70);
            Gemm.MaxThreads = 2;
            var (out2, grads2) = Run(mode, reverse, withLengths, DType.Float32, fused: true, seed: 70);
            Assert.True(out1.ToArray<float>().AsSpan().SequenceEqual(out2.ToArray<float>()), "outputs differ between 1 and 2 threads");
            for (int i = 0; i < 7; i++)
            {
                if (grads1[i] is null) { Assert.Null(grads2[i]); continue; }
                Assert.True(grads1[i]!.ToArray<float>().AsSpan().SequenceEqual(grads2[i]!.ToArray<float>()), $"gradient {i} differs between 1 and 2 threads");
            }
        }
        finally { Gemm.MaxThreads = saved; }
    }
}
