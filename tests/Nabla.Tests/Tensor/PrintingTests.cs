using System.Text.Json;
using Nabla.Tests.Support;

namespace Nabla.Tests.Tensors;

/// <summary>ToString against PyTorch's str(tensor), character for character (fixture: tools/golden/printing.py).</summary>
public class PrintingTests
{
    sealed record PrintCase(string Name, Tensor Input, string? View, bool RequiresGrad, string Expected);

    static readonly Lazy<Dictionary<string, PrintCase>> Cases = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Golden", "printing.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => new PrintCase(
            e.GetProperty("name").GetString()!,
            GoldenFixture.ReadTensor(e.GetProperty("input")),
            e.GetProperty("view").GetString(),
            e.GetProperty("requires_grad").GetBoolean(),
            e.GetProperty("expected").GetString()!)).ToDictionary(c => c.Name);
    });

    public static IEnumerable<object[]> Names => Cases.Value.Keys.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesPyTorch(string name)
    {
        var c = Cases.Value[name];
        var t = c.View switch
        {
            null => c.Input,
            "t" => c.Input.T(),
            var v => throw new InvalidOperationException($"unknown view {v}"),
        };
        if (c.RequiresGrad) t.RequiresGrad = true;
        Assert.Equal(c.Expected, t.ToString());
    }

    /// <summary>The exact decimal text (fixed and scientific) against Python's format() for doubles of every magnitude.</summary>
    [Fact]
    public void NumberTextMatchesPython()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Golden", "printing.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        int checkedCount = 0;
        foreach (var e in doc.RootElement.GetProperty("numbers").EnumerateArray())
        {
            double v = e.GetProperty("value").GetDouble();
            Assert.Equal(e.GetProperty("f4").GetString(), DecimalText.Fixed(v, 4));
            Assert.Equal(e.GetProperty("e4").GetString(), DecimalText.Scientific(v, 4));
            Assert.Equal(e.GetProperty("f0").GetString(), DecimalText.Fixed(v, 0));
            checkedCount++;
        }
        Assert.True(checkedCount > 150);
    }

    [Fact]
    public void FixtureCoversTheCasesTheBriefNames()
    {
        // Guard against a regenerated fixture silently dropping whole families of cases.
        Assert.True(Cases.Value.Count >= 40);
        foreach (var family in new[] { "sci", "summarized", "empty", "scalar", "bool", "int64", "float64", "three_d", "noncontiguous", "requires_grad" })
            Assert.Contains(Cases.Value.Keys, k => k.Contains(family));
    }

    [Fact]
    public void NonLeafShowsGradFn()
    {
        var x = Tensor.From(new[] { 1f, 2f }).RequiresGrad_();
        var y = x * x;
        Assert.Equal("tensor([1., 4.], grad_fn=<MulBackward>)", y.ToString());
    }

    [Fact]
    public void NonLeafUnderNoGradShowsNoSuffix()
    {
        var x = Tensor.From(new[] { 1.5f }).RequiresGrad_();
        using (new global::Nabla.Autograd.NoGrad())
            Assert.Equal("tensor([2.2500])", (x * x).ToString());
    }

    [Fact]
    public void ViewsPrintTheirOwnElements()
    {
        var x = Tensor.Arange(12).Reshape(3, 4);
        Assert.Equal("tensor([ 2,  6, 10])", x.Select(1, 2).ToString());
        Assert.Equal("tensor([[ 1,  5,  9],\n        [ 3,  7, 11]])", x.Slice(1, 1, 4, 2).T().ToString());
    }

    [Fact]
    public void LargeInt64IsExact()
    {
        var x = Tensor.From(new[] { long.MaxValue, long.MinValue });
        Assert.Equal("tensor([ 9223372036854775807, -9223372036854775808])", x.ToString());
    }

    [Fact]
    public void DebuggerDisplayIsUnchanged()
    {
        var attr = typeof(Tensor).GetCustomAttributes(typeof(System.Diagnostics.DebuggerDisplayAttribute), false);
        Assert.Equal("{DebuggerText,nq}", ((System.Diagnostics.DebuggerDisplayAttribute)attr.Single()).Value);
    }
}
