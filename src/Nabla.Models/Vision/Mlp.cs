namespace Nabla.Models.Vision;

/// <summary>
/// The multilayer perceptron of the notes (4.3): Flatten, Linear(784, 256), ReLU, Linear(256, 10) for 1×28×28
/// inputs. Hidden sizes are configurable (one Linear + ReLU each); with <c>dropout</c> &gt; 0 a Dropout follows
/// every ReLU, as in the notes' dropout section (4.6). Returns logits.
/// </summary>
public static class Mlp
{
    public static Sequential Create(int inChannels = 1, int inputSize = 28, int numClasses = 10, int[]? hidden = null,
        double dropout = 0, DType dtype = DType.Float32, Generator? generator = null)
    {
        Shapes.CheckCommon("Mlp", inChannels, inputSize, numClasses);
        hidden ??= [256];
        var kit = new LayerKit(dtype, generator);
        var net = new Sequential(new Flatten());
        int width = inChannels * inputSize * inputSize;
        foreach (int h in hidden)
        {
            if (h < 1) throw new ArgumentException($"Mlp: hidden sizes must be positive, got [{string.Join(", ", hidden)}].");
            net.Add(kit.Linear(width, h)).Add(new ReLU());
            if (dropout > 0) net.Add(kit.Dropout(dropout));
            width = h;
        }
        return net.Add(kit.Linear(width, numClasses));
    }
}
