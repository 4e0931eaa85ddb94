namespace Nabla.Data;

/// <summary>
/// Fashion-MNIST (Zalando Research, MIT licence): 28×28 grey images of clothing in 10 classes, 60,000 for
/// training and 10,000 for testing. Debian's <c>dataset-fashion-mnist</c> package installs the IDX files in
/// <see cref="DefaultFolder"/>; the repository ships a stratified sample in data/fashion-mnist-sample.
/// </summary>
public static class FashionMnist
{
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Class names by label.</summary>
    public static IReadOnlyList<string> Classes { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// The training (train-*) or test (t10k-*) split from <paramref name="folder"/> (default <see cref="DefaultFolder"/>):
    /// inputs float32 [N, 1, 28, 28] in [0, 1], targets int64 [N] in 0..9. Gzipped (name.gz) and raw files are both found.
    /// </summary>
    public static TensorDataset Load(string? folder = null, bool train = true)
    {
        folder ??= DefaultFolder;
        string prefix = train ? "train" : "t10k";
        string images = Find(folder, $"{prefix}-images-idx3-ubyte");
        string labels = Find(folder, $"{prefix}-labels-idx1-ubyte");
        var data = IdxFile.LoadImages(images, labels, numClasses: Classes.Count);
        var shape = data.Inputs.Shape;
        if (shape[2] != 28 || shape[3] != 28)
            throw new InvalidDataException($"fashion_mnist: {images} holds images of {shape[2]}×{shape[3]} pixels; Fashion-MNIST images are 28×28.");
        return data;
    }

    static string Find(string folder, string name)
    {
        string gz = Path.Combine(folder, name + ".gz");
        if (File.Exists(gz)) return gz;
        string raw = Path.Combine(folder, name);
        if (File.Exists(raw)) return raw;
        string why = Directory.Exists(folder)
            ? $"the folder {folder} has neither {name}.gz nor {name}"
            : $"the folder {folder} does not exist";
        string hint = folder == DefaultFolder ? " (apt-get install dataset-fashion-mnist installs it there)" : "";
        throw new FileNotFoundException($"fashion_mnist: cannot find {gz}: {why}{hint}.", gz);
    }
}
