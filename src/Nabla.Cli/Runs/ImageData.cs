using Nabla.Data;
using Nabla.Data.Vision;

namespace Nabla.Cli.Runs;

/// <summary>
/// Fashion-MNIST for a run: the loaded splits, cut to <c>--limit</c> examples each (a fixed random choice by the
/// seed, so a limited run still sees every class), and loaders that resize batches to the model's input size.
/// </summary>
public sealed class ImageData
{
    ImageData(IDataset<Example>? train, IDataset<Example> test)
    {
        Train = train;
        Test = test;
    }

    /// <summary>The training examples (null when only the test split was loaded).</summary>
    public IDataset<Example>? Train { get; }

    /// <summary>The test examples, at 28×28: the loaders resize, so these are what a person looks at.</summary>
    public IDataset<Example> Test { get; }

    /// <summary>Loads the test split, and the training split when <paramref name="withTrain"/>; both are read before anything is written.</summary>
    public static ImageData Load(DataSource source, bool withTrain, int? limit, int seed)
    {
        var test = Limit(FashionMnist.Load(source.Folder, train: false), limit, seed);
        var train = withTrain ? Limit(FashionMnist.Load(source.Folder, train: true), limit, seed) : null;
        return new ImageData(train, test);
    }

    /// <summary>
    /// The training and test splits for `nabla train` from <paramref name="folder"/> (or the default place), with the
    /// notice that the shipped sample stands in for a missing full dataset passed to <paramref name="notice"/>.
    /// </summary>
    public static (DataSource Source, ImageData Data) LoadForTraining(string? folder, int? limit, int seed, Action<string> notice)
    {
        var source = DataLocator.Resolve(folder, "train");
        var data = Load(source, withTrain: true, limit, seed);
        if (source.FellBack) notice(DataLocator.FallbackNotice(source, $"{data.Train!.Count} training and {data.Test.Count} test images"));
        return (source, data);
    }

    static IDataset<Example> Limit(TensorDataset data, int? limit, int seed)
    {
        if (limit is not { } n || n >= data.Count) return data;
        return data.Shuffle(seed).Subset(Enumerable.Range(0, n).ToArray());
    }

    /// <summary>
    /// Shuffled training batches at <paramref name="size"/>×<paramref name="size"/>. With <paramref name="augment"/>
    /// each image is randomly shifted (a 28×28 crop of the image padded by 2 pixels) and mirrored left-right before
    /// the resize, with draws from <paramref name="augmentRng"/> on the loader's worker thread.
    /// </summary>
    public DataLoader<Example, Batch> TrainLoader(int batchSize, int size, bool augment, int seed, Generator augmentRng)
    {
        var data = Train ?? throw new InvalidOperationException("the training split was not loaded.");
        if (augment)
            data = data.Map(new Compose(new RandomCrop(28, padding: 2), new RandomHorizontalFlip()).OnInputs(augmentRng));
        return new DataLoader<Example, Batch>(data, batchSize, ResizingCollate(size), shuffle: true, seed: seed);
    }

    /// <summary>Test batches in file order at the model's input size.</summary>
    public DataLoader<Example, Batch> TestLoader(int batchSize, int size) =>
        new(Test, batchSize, ResizingCollate(size), shuffle: false);

    /// <summary>
    /// Stacks a batch and, when the model wants another size than 28, resizes the whole batch at once (bilinear,
    /// as the notes' <c>transforms.Resize</c>). It runs on the loader's worker thread, overlapping the training step,
    /// and keeps memory at one batch instead of a resized copy of the dataset (60,000 images at 224×224 are 12 GB).
    /// </summary>
    static Func<IReadOnlyList<Example>, Batch> ResizingCollate(int size) => items =>
    {
        var batch = Collate.Examples(items);
        return batch.Input.Size(2) == size && batch.Input.Size(3) == size
            ? batch
            : batch with { Input = ImageOps.Resize(batch.Input, size, size) };
    };
}
