using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN;

/// <summary>Sequential, ModuleList and ModuleDict: naming, indexing, replacement and renumbering.</summary>
public class ContainerTests
{
    [Fact]
    public void SequentialChainsForward()
    {
        var a = new Affine(3);
        var b = new Affine(3, bias: false);
        var model = new Sequential(a, new Exp()).Add(b);
        var x = Values.Make(2, 3);
        TensorAssert.Equal((x * a.Weight + a.Bias!).Exp() * b.Weight, model.Forward(x));
        Assert.Equal(3, model.Count);
        Assert.Equal(["0.weight", "0.bias", "2.weight"], model.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void SequentialIndexerCountsFromTheEndAndReplacesInPlace()
    {
        var first = new Affine(2);
        var model = new Sequential(first, new Exp(), new Affine(2));
        Assert.Same(first, model[0]);
        Assert.Same(model[2], model[-1]);
        var replacement = new Affine(2, bias: false);
        model[-2] = replacement;
        Assert.Same(replacement, model[1]);
        Assert.Equal(["0", "1", "2"], model.NamedChildren().Select(c => c.Name));
        Assert.Equal(["0.weight", "0.bias", "1.weight", "2.weight", "2.bias"], model.NamedParameters().Select(p => p.Name));
        Assert.Equal([first, replacement, model[2]], model.ToList());
    }

    [Fact]
    public void SequentialWithNamesKeepsThem()
    {
        var model = new Sequential(("features", new Affine(2)), ("act", new Exp()));
        model.Add("head", new Affine(2, bias: false));
        Assert.Equal(["features.weight", "features.bias", "head.weight"], model.NamedParameters().Select(p => p.Name));
        Assert.IsType<Exp>(model[1]);
    }

    [Fact]
    public void ModuleListNumbersAndRenumbers()
    {
        var a = new Affine(1);
        var b = new Affine(1);
        var c = new Affine(1);
        var list = new ModuleList<Affine>([a, c]);
        list.Insert(1, b);
        Assert.Equal([a, b, c], list.ToList());
        Assert.Equal(["0", "1", "2"], list.NamedChildren().Select(x => x.Name));
        Assert.Equal("2.weight", list.NamedParameters().ElementAt(4).Name);
        Assert.Same(c, list.GetSubmodule("2"));

        list.RemoveAt(0);
        Assert.Equal([b, c], list.ToList());
        Assert.Equal(["0", "1"], list.NamedChildren().Select(x => x.Name));
        Assert.Same(b, list.GetSubmodule("0"));

        list.Insert(-1, a);     // before the last one, as Python's list.insert
        Assert.Equal([b, a, c], list.ToList());
        list.Insert(3, new Affine(1));
        Assert.Equal(4, list.Count);

        list[-1] = a;
        Assert.Same(a, list[3]);
        Assert.Equal(3, list.Modules().Count() - 1);     // the shared instance is one module
    }

    [Fact]
    public void ModuleListAddRange()
    {
        var list = new ModuleList(new Exp()).AddRange([new Affine(1), new Exp()]);
        Assert.Equal(3, list.Count);
        Assert.Equal(["1.weight", "1.bias"], list.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void ModuleDictKeepsInsertionOrder()
    {
        var left = new Affine(1);
        var dict = new ModuleDict(("z", new Exp()), ("a", left));
        dict["m"] = new Affine(1, bias: false);
        Assert.Equal(["z", "a", "m"], dict.Keys);
        Assert.Equal(["a.weight", "a.bias", "m.weight"], dict.NamedParameters().Select(p => p.Name));

        var replacement = new Affine(1, bias: false);
        dict["a"] = replacement;      // replacing keeps the position
        Assert.Equal(["z", "a", "m"], dict.Keys);
        Assert.Same(replacement, dict["a"]);
        Assert.True(dict.ContainsKey("m"));
        Assert.True(dict.TryGetValue("z", out var z) && z is Exp);
        Assert.False(dict.TryGetValue("q", out _));

        Assert.True(dict.Remove("z"));
        Assert.False(dict.Remove("z"));
        Assert.Equal(["a", "m"], dict.Select(kv => kv.Key));
        Assert.Equal(2, dict.Count);
        Assert.Equal(["a.weight", "m.weight"], dict.StateDict().Keys);
    }

    [Fact]
    public void TypedContainersHandBackTheirType()
    {
        var dict = new ModuleDict<Affine>(("x", new Affine(2)));
        Tensor w = dict["x"].Weight;    // typed access, no cast
        Assert.Equal([2], w.Shape);
        var list = new ModuleList<Affine>([new Affine(2)]);
        Assert.Equal([2], list[0].Weight.Shape);
    }
}
