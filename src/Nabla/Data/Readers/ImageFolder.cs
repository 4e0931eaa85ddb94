namespace Nabla.Data;

/// <summary>
/// An image classification dataset laid out one folder per class, <c>root/classname/*.png</c>
/// (torchvision's ImageFolder). Classes are the sub-folder names in ordinal order, labelled 0, 1, …; images are
/// listed in ordinal file-name order and decoded when read, so the folder may be larger than memory. Each
/// example is (float32 [C, H, W] in [0, 1], 0-d int64 label). Only PNG files are read; other files are ignored.
/// </summary>
public sealed class ImageFolder : IDataset<Example>
{
    readonly (string Path, int Label)[] _samples;

    /// <param name="root">The folder holding one sub-folder per class.</param>
    /// <param name="channels">0 keeps each image's channels; 1, 3 or 4 converts every image (grey, RGB, RGBA) so
    /// that images stored differently still stack into one batch.</param>
    public ImageFolder(string root, int channels = 0)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (channels is not (0 or 1 or 3 or 4))
            throw new ArgumentException($"image_folder: channels must be 0 (as stored), 1, 3 or 4, not {channels}.");
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"image_folder: folder {root} does not exist.");
        Root = root;
        Channels = channels;
        var classes = Directory.GetDirectories(root).Select(d => Path.GetFileName(d)!).ToArray();
        Array.Sort(classes, StringComparer.Ordinal);
        if (classes.Length == 0)
            throw new InvalidDataException($"image_folder: {root} has no sub-folders; expected one folder of PNG images per class (root/classname/*.png).");
        var samples = new List<(string, int)>();
        for (int label = 0; label < classes.Length; label++)
        {
            var files = Directory.GetFiles(Path.Combine(root, classes[label]))
                .Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                .ToArray();
            Array.Sort(files, StringComparer.Ordinal);
            foreach (var f in files) samples.Add((f, label));
        }
        if (samples.Count == 0)
            throw new InvalidDataException($"image_folder: no .png files under the class folders of {root} ({string.Join(", ", classes)}).");
        Classes = classes;
        _samples = samples.ToArray();
    }

    public string Root { get; }
    public int Channels { get; }

    /// <summary>Class names by label.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Every image's path and label, in dataset order.</summary>
    public IReadOnlyList<(string Path, int Label)> Samples => _samples;

    public int Count => _samples.Length;

    public Example Get(int index)
    {
        Dataset.CheckIndex(index, _samples.Length, "image_folder");
        var (path, label) = _samples[index];
        return Example.Labeled(PngDecoder.Load(path).ToTensor(Channels), label);
    }
}
