using Nabla.NN;

namespace Nabla.Tests.NN;

// Test-only leaf modules that mirror the custom nn.Modules of tools/golden/modules.py. They are not layers:
// they exist to give the module system parameters, buffers and children to walk, built from existing ops.

/// <summary>Deterministic, distinct values so copies and aliases can be told apart.</summary>
static class Values
{
    static int _next = 1;

    public static Tensor Make(params int[] shape)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        var data = new float[n];
        for (int i = 0; i < n; i++) data[i] = 0.1f * (_next++ % 17) - 0.8f;
        return Tensor.From(data, shape);
    }
}

/// <summary>y = x * weight (+ bias); the bias is registered as absent when disabled.</summary>
sealed class Affine : Module
{
    readonly int _n;

    public Affine(int n, bool bias = true)
    {
        _n = n;
        RegisterParameter("weight", Values.Make(n));
        RegisterParameter("bias", bias ? Values.Make(n) : null);
    }

    // Read through the registry so that tying (re-registering "weight") is seen by Forward.
    public Tensor Weight => Param("weight")!;
    public Tensor? Bias => Param("bias");

    public void TieWeight(Tensor weight) => RegisterParameter("weight", weight);

    public override Tensor Forward(Tensor input)
    {
        var y = input * Weight;
        return Bias is { } b ? y + b : y;
    }

    public override string ExtraRepr() => $"features={_n}, bias={(Bias is null ? "False" : "True")}";
}

/// <summary>y = (x - running_mean) * scale, with a persistent int64 counter and a non-persistent scratch buffer.</summary>
sealed class Normalize : Module
{
    readonly int _n;

    public Normalize(int n)
    {
        _n = n;
        RegisterParameter("scale", Values.Make(n));
        RegisterBuffer("running_mean", Values.Make(n));
        RegisterBuffer("num_batches_tracked", Tensor.Scalar(7, DType.Int64));
        RegisterBuffer("scratch", Tensor.Zeros(n), persistent: false);
    }

    public override Tensor Forward(Tensor input) => (input - Buffer("running_mean")!) * Param("scale")!;

    public override string ExtraRepr() => $"num_features={_n}";
}

sealed class Exp : Module
{
    public override Tensor Forward(Tensor input) => input.Exp();
}

/// <summary>An own parameter before its children, a two-line extra repr and a ModuleList child.</summary>
sealed class Block : Module
{
    readonly int _n;
    readonly Normalize _norm;
    readonly ModuleList _layers;

    public Block(int n)
    {
        _n = n;
        RegisterParameter("gain", Values.Make(1));
        _norm = RegisterModule("norm", new Normalize(n));
        _layers = RegisterModule("layers", new ModuleList(new Affine(n), new Exp(), new Affine(n, bias: false)));
    }

    public override Tensor Forward(Tensor input)
    {
        var x = _norm.Forward(input * Param("gain")!);
        foreach (var layer in _layers) x = layer.Forward(x);
        return x;
    }

    public override string ExtraRepr() => $"width={_n}\nresidual=False";
}

sealed class Wrapper : Module
{
    readonly Module _inner;

    public Wrapper(Module inner) => _inner = RegisterModule("inner", inner);

    public override Tensor Forward(Tensor input) => _inner.Forward(input);

    public override string ExtraRepr() => "note=wrap";
}

/// <summary>Records the training flag it saw in Forward, to check Train/Eval propagation.</summary>
sealed class ModeProbe : Module
{
    public bool? SawTraining;

    public override Tensor Forward(Tensor input)
    {
        SawTraining = IsTraining;
        return input;
    }
}
