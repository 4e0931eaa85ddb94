namespace Nabla.NN;

/// <summary>
/// Variational (locked) dropout for sequences (Gal &amp; Ghahramani, 2016): ONE inverted-dropout mask per sequence
/// and feature, drawn once per call and reused at every time step, instead of a fresh mask per step. Input is
/// [T, N, F] ([N, T, F] when <see cref="BatchFirst"/>) or unbatched [T, F]; survivors are scaled by 1/(1 − p) so
/// the expectation is unchanged. Identity in eval mode. Masks come from the generator given here or the global one.
/// </summary>
public sealed class VariationalDropout : Module
{
    readonly Generator? _generator;

    public double P { get; }
    public bool BatchFirst { get; }

    public VariationalDropout(double p = 0.5, bool batchFirst = false, Generator? generator = null)
    {
        Functional.CheckDropoutProbability(p, "VariationalDropout");
        P = p;
        BatchFirst = batchFirst;
        _generator = generator;
    }

    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank is not (2 or 3))
            throw new ArgumentException($"VariationalDropout: expected input {(BatchFirst ? "[N, T, F]" : "[T, N, F]")} or unbatched [T, F], got shape {input.ShapeText}.");
        if (!input.DType.IsFloating())
            throw new ArgumentException($"VariationalDropout: expected a floating-point input, got {input.DType.TorchName()} of shape {input.ShapeText}.");
        if (!IsTraining || P == 0 || input.NumElements == 0) return input;
        // The mask has size 1 along time, so broadcasting repeats it at every step.
        var shape = input.Shape;
        shape[input.Rank == 3 && BatchFirst ? 1 : 0] = 1;
        return input * Functional.DropoutMask(shape, P, input.DType, _generator);
    }

    public override string ExtraRepr() => $"p={PyNumberText.Float(P)}" + (BatchFirst ? ", batch_first=True" : "");
}
