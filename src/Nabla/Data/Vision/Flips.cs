namespace Nabla.Data.Vision;

/// <summary>Mirrors the image left to right with probability <see cref="P"/> (one uniform draw per call, flip when u &lt; p).</summary>
public sealed class RandomHorizontalFlip : IImageTransform
{
    public RandomHorizontalFlip(double p = 0.5) => P = Flips.CheckP(p, "random_horizontal_flip");

    public double P { get; }

    public Tensor Apply(Tensor image, Generator rng)
    {
        ImageChecks.Image(image, "random_horizontal_flip");
        ArgumentNullException.ThrowIfNull(rng);
        return rng.NextDouble() < P ? image.Flip(-1) : image;
    }
}

/// <summary>Mirrors the image top to bottom with probability <see cref="P"/> (one uniform draw per call, flip when u &lt; p).</summary>
public sealed class RandomVerticalFlip : IImageTransform
{
    public RandomVerticalFlip(double p = 0.5) => P = Flips.CheckP(p, "random_vertical_flip");

    public double P { get; }

    public Tensor Apply(Tensor image, Generator rng)
    {
        ImageChecks.Image(image, "random_vertical_flip");
        ArgumentNullException.ThrowIfNull(rng);
        return rng.NextDouble() < P ? image.Flip(-2) : image;
    }
}

internal static class Flips
{
    public static double CheckP(double p, string op) =>
        p is >= 0 and <= 1 ? p : throw new ArgumentException($"{op}: the probability p must lie in [0, 1], got {p}.");
}
