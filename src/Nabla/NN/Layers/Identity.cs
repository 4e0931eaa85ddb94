namespace Nabla.NN;

/// <summary>Returns its input unchanged (PyTorch's nn.Identity): a placeholder, e.g. for a removed classifier head.</summary>
public sealed class Identity : Module
{
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input;
    }
}
