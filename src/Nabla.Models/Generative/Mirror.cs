using Nabla.Models.Vision;

namespace Nabla.Models.Generative;

/// <summary>The fully connected stacks of the autoencoders, and the check of what they read.</summary>
internal static class Mirror
{
    /// <summary>Linear layers through the given widths, a ReLU after each but (unless asked) the last.</summary>
    public static Sequential Layers(LayerKit kit, int[] widths, bool reluAfterLast)
    {
        var net = new Sequential();
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            net.Add(kit.Linear(widths[i], widths[i + 1]));
            if (i + 2 < widths.Length || reluAfterLast) net.Add(new ReLU());
        }
        return net;
    }

    /// <summary>Inputs [N, …] as [N, size]; anything else is an error naming the model and the shapes.</summary>
    public static Tensor Flatten(Tensor input, int size, string model)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2 || input.Size(0) == 0 || input.NumElements / input.Size(0) != size)
            throw new ArgumentException($"{model}: expects a batch [N, …] of {size} values each, got [{string.Join(", ", input.Shape)}].", nameof(input));
        return input.Reshape(input.Size(0), size);
    }
}
