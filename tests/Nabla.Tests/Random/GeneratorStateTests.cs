namespace Nabla.Tests.RandomTests;

/// <summary>GetState/SetState: a restored generator continues the stream exactly, spare normal included.</summary>
public class GeneratorStateTests
{
    [Fact]
    public void RestoredStateContinuesTheStreamBitForBit()
    {
        var g = new Generator(11);
        for (int i = 0; i < 5; i++) g.NextUInt64();
        g.NextNormal(); // leaves a pending Box–Muller sample, which is part of the state
        var state = g.GetState();
        Assert.True(state.HasSpareNormal);

        var expected = Draw(g);
        var other = new Generator(999);
        other.SetState(state);
        Assert.Equal(expected, Draw(other));
        Assert.Equal(11UL, other.InitialSeed);

        // Restoring into the generator itself rewinds it.
        g.SetState(state);
        Assert.Equal(expected, Draw(g));
    }

    [Fact]
    public void TensorFillsContinueToo()
    {
        var g = new Generator(5);
        g.NextNormal();
        var state = g.GetState();
        var a = Tensor.Randn([7], DType.Float32, g).ToArray<float>();
        g.SetState(state);
        Assert.Equal(a, Tensor.Randn([7], DType.Float32, g).ToArray<float>());
    }

    [Fact]
    public void StateWithoutSpareHasZeroSpareValue()
    {
        var g = new Generator(1);
        var s = g.GetState();
        Assert.False(s.HasSpareNormal);
        Assert.Equal(0.0, s.SpareNormal);
        Assert.Equal(1UL, s.InitialSeed);
    }

    [Fact]
    public void CorruptStatesAreRefused()
    {
        var g = new Generator(1);
        var zero = new GeneratorState(0, 0, 0, 0, false, 0, 1);
        var e = Assert.Throws<ArgumentException>(() => g.SetState(zero));
        Assert.Contains("all-zero", e.Message);
        var nan = g.GetState() with { HasSpareNormal = true, SpareNormal = double.NaN };
        e = Assert.Throws<ArgumentException>(() => g.SetState(nan));
        Assert.Contains("pending normal", e.Message);
        // A refused state leaves the generator as it was.
        Assert.Equal(new Generator(1).NextUInt64(), g.NextUInt64());
    }

    static double[] Draw(Generator g) =>
        [g.NextNormal(), g.NextDouble(), g.NextNormal(), g.NextInt64(0, 1000), g.NextSingle(), g.NextNormal()];
}
