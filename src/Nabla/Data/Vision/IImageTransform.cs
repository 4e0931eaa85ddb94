namespace Nabla.Data.Vision;

/// <summary>
/// One step of an image pipeline: takes a float image [C, H, W] (or a batch [N, C, H, W]) with values in
/// [0, 1] and returns a new tensor. Random transforms draw everything from <paramref name="rng"/> in
/// <see cref="Apply"/>, so a pipeline given a seeded <see cref="Generator"/> is reproducible; deterministic
/// ones ignore it. Transforms hold only their settings (no state changes on Apply), so one instance may be
/// shared by several pipelines as long as each has its own generator.
/// </summary>
public interface IImageTransform
{
    Tensor Apply(Tensor image, Generator rng);
}

/// <summary>Transforms applied one after the other (torchvision's Compose), all drawing from the same generator.</summary>
public sealed class Compose : IImageTransform
{
    readonly IImageTransform[] _transforms;

    public Compose(params IImageTransform[] transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        for (int i = 0; i < transforms.Length; i++)
            if (transforms[i] is null) throw new ArgumentNullException(nameof(transforms), $"compose: transform {i} is null.");
        _transforms = (IImageTransform[])transforms.Clone();
    }

    public IReadOnlyList<IImageTransform> Transforms => _transforms;

    public Tensor Apply(Tensor image, Generator rng)
    {
        foreach (var t in _transforms) image = t.Apply(image, rng);
        return image;
    }
}

/// <summary>Adapters from a transform to the functions that <c>Dataset.Map</c> takes.</summary>
public static class ImageTransforms
{
    /// <summary>
    /// The transform as a plain function drawing from <paramref name="rng"/>. The generator is not
    /// thread-safe: give each pipeline (each dataset's Map) its own, e.g. <c>new Generator(seed)</c> or
    /// <c>Nabla.Random.Spawn()</c>.
    /// </summary>
    public static Func<Tensor, Tensor> ToFunc(this IImageTransform transform, Generator rng)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(rng);
        return image => transform.Apply(image, rng);
    }

    /// <summary>A function for <c>IDataset&lt;Example&gt;.Map</c> that transforms each example's input and keeps its target.</summary>
    public static Func<Example, Example> OnInputs(this IImageTransform transform, Generator rng)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(rng);
        return example => example with { Input = transform.Apply(example.Input, rng) };
    }
}
