namespace Nabla.Cli.Examples;

/// <summary>
/// One parameter's gradient written as the product a student writes by hand:
/// ∂E/∂w = ∂E/∂a · ∂a/∂z · ∂z/∂w, where a is the activation of the unit the parameter feeds.
/// For an output unit ∂E/∂a = o − y; for a hidden unit it is the back-propagated Σₖ δₖ·wₖ.
/// <see cref="Autograd"/> is the value Backward() produced, shown next to the product.
/// </summary>
public sealed record ChainTerm(
    string Symbol, string Parameter, int[] Index, string Unit, string InputSymbol,
    double DErrorDActivation, double DActivationDNet, double DNetDParameter, double Autograd)
{
    public double Product => DErrorDActivation * DActivationDNet * DNetDParameter;
    public double Difference => Math.Abs(Product - Autograd);
}

/// <summary>The error signal δ = ∂E/∂z of one unit, with the factors it is made of.</summary>
public sealed record UnitDelta(string Unit, double DErrorDActivation, double DActivationDNet)
{
    public double Delta => DErrorDActivation * DActivationDNet;
}

/// <summary>
/// Chain-rule factors derived from the forward values, for DISPLAY only: the explanation shows that their
/// products equal the gradients autograd computed. Nothing here feeds back into the gradients.
/// </summary>
public static class ChainRule
{
    /// <summary>Symbol of hidden.weight[j, i] in the notes: w1..w6 run down the columns (w = 1 + 2i + j).</summary>
    public static string HiddenWeightSymbol(int j, int i) => $"w{1 + 2 * i + j}";

    /// <summary>Symbol of output.weight[k, j]: w7..w10 run down the columns (w = 7 + 2j + k).</summary>
    public static string OutputWeightSymbol(int k, int j) => $"w{7 + 2 * j + k}";

    public static UnitDelta[] OutputDeltas(BackpropResult r) =>
        r.Output.Select((o, k) => new UnitDelta($"o{k + 1}", o - BackpropExample.Targets[k], o * (1 - o))).ToArray();

    /// <summary>δ_hj = (Σₖ δ_ok · output.weight[k, j]) · hj(1 − hj): the output errors sent back through the weights.</summary>
    public static UnitDelta[] HiddenDeltas(BackpropResult r)
    {
        var outDeltas = OutputDeltas(r);
        var w = r["output.weight"].Before.ToArray<double>();
        int outputs = r.Output.Length;
        return r.Hidden.Select((h, j) =>
        {
            double back = 0;
            for (int k = 0; k < outputs; k++) back += outDeltas[k].Delta * w[k * r.Hidden.Length + j];
            return new UnitDelta($"h{j + 1}", back, h * (1 - h));
        }).ToArray();
    }

    /// <summary>Terms for output.weight and output.bias, in the notes' order w7..w10, then the biases.</summary>
    public static List<ChainTerm> OutputLayer(BackpropResult r)
    {
        var deltas = OutputDeltas(r);
        var grads = r["output.weight"].Grad.ToArray<double>();
        var biasGrads = r["output.bias"].Grad.ToArray<double>();
        int inputs = r.Hidden.Length;
        var terms = new List<ChainTerm>();
        for (int j = 0; j < inputs; j++)
            for (int k = 0; k < deltas.Length; k++)
                terms.Add(new ChainTerm(OutputWeightSymbol(k, j), "output.weight", [k, j], deltas[k].Unit, $"h{j + 1}",
                    deltas[k].DErrorDActivation, deltas[k].DActivationDNet, r.Hidden[j], grads[k * inputs + j]));
        for (int k = 0; k < deltas.Length; k++)
            terms.Add(new ChainTerm($"b_o{k + 1}", "output.bias", [k], deltas[k].Unit, "1",
                deltas[k].DErrorDActivation, deltas[k].DActivationDNet, 1, biasGrads[k]));
        return terms;
    }

    /// <summary>Terms for hidden.weight and hidden.bias, in the notes' order w1..w6, then the biases.</summary>
    public static List<ChainTerm> HiddenLayer(BackpropResult r)
    {
        var deltas = HiddenDeltas(r);
        var grads = r["hidden.weight"].Grad.ToArray<double>();
        var biasGrads = r["hidden.bias"].Grad.ToArray<double>();
        var x = BackpropExample.Inputs;
        var terms = new List<ChainTerm>();
        for (int i = 0; i < x.Length; i++)
            for (int j = 0; j < deltas.Length; j++)
                terms.Add(new ChainTerm(HiddenWeightSymbol(j, i), "hidden.weight", [j, i], deltas[j].Unit, $"x{i + 1}",
                    deltas[j].DErrorDActivation, deltas[j].DActivationDNet, x[i], grads[j * x.Length + i]));
        for (int j = 0; j < deltas.Length; j++)
            terms.Add(new ChainTerm($"b_h{j + 1}", "hidden.bias", [j], deltas[j].Unit, "1",
                deltas[j].DErrorDActivation, deltas[j].DActivationDNet, 1, biasGrads[j]));
        return terms;
    }
}
