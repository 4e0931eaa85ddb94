namespace Nabla.NN;

/// <summary>
/// Inverted dropout (PyTorch's nn.Dropout): in training mode each element is zeroed with probability
/// <see cref="P"/> and the survivors are scaled by 1/(1 − p), keeping the expectation; in eval mode it is the
/// identity. Masks come from the generator given here, or the global one (<see cref="Random.Global"/>).
/// </summary>
public sealed class Dropout : Module
{
    readonly Generator? _generator;

    public double P { get; }

    public Dropout(double p = 0.5, Generator? generator = null)
    {
        Functional.CheckDropoutProbability(p, "Dropout");
        P = p;
        _generator = generator;
    }

    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, IsTraining, _generator, "Dropout");

    public override string ExtraRepr() => $"p={PyNumberText.Float(P)}, inplace=False";
}
