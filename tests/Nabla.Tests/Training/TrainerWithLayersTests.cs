using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Optim.Schedules;
using Nabla.Tests.IO;
using Nabla.Tests.RandomTests;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>
/// Exact resume with the library's own layers: Linear, BatchNorm1d (running statistics are buffers in the
/// checkpoint), Dropout, cross-entropy, AdamW and a cosine schedule. Uses the global generator (Dropout without
/// a generator of its own draws from it), so it runs in the GlobalRandom collection.
/// </summary>
[Collection(GlobalRandomCollection.Name)]
public class TrainerWithLayersTests
{
    sealed class Run
    {
        public readonly Sequential Model;
        public readonly Trainer Trainer;
        public readonly DataLoader Train = new(TestData.Blobs(96, seed: 4, spread: 1.2), 16, shuffle: true, seed: 3);
        public readonly DataLoader Validation = new(TestData.Blobs(30, seed: 5, spread: 1.2), 10);

        public Run(ulong seed, string? checkpoints = null)
        {
            Nabla.Random.Seed(seed);
            Model = new Sequential(new Linear(4, 16), new BatchNorm1d(16), new ReLU(), new Dropout(0.25), new Linear(16, 3));
            var optimizer = new AdamW(Model.Parameters(), lr: 0.01);
            Trainer = new Trainer(Model, optimizer, (o, t) => Functional.CrossEntropy(o, t), new TrainerOptions
            {
                Scheduler = new CosineAnnealingLR(optimizer, tMax: 4),
                Checkpoints = checkpoints is null ? null : new CheckpointOptions(checkpoints),
                // Generators defaults to [Random.Global], which Dropout uses.
            });
        }

        public float[][] State => Model.StateDict().Values.Select(t => t.Contiguous().To(DType.Float64).ToArray<double>().Select(v => (float)v).ToArray()).ToArray();
    }

    [Fact]
    public void TwoPlusTwoEpochsEqualFourWithTheGlobalGenerator()
    {
        var straight = new Run(seed: 1);
        straight.Trainer.Fit(straight.Train, straight.Validation, 4);
        var globalAfter = Nabla.Random.Global.GetState();

        using var dir = new TempFolder();
        var first = new Run(seed: 1, dir.Dir);
        first.Trainer.Fit(first.Train, first.Validation, 2);
        var resumed = new Run(seed: 42); // another init and another global stream: the checkpoint must restore both
        resumed.Trainer.LoadCheckpoint(dir.File("last.safetensors"));
        resumed.Trainer.Fit(resumed.Train, resumed.Validation, 4);

        Assert.Equal(straight.State, resumed.State);
        Assert.Equal(globalAfter, Nabla.Random.Global.GetState());
        for (int i = 0; i < 4; i++)
            Assert.Equal(straight.Trainer.History[i] with { Seconds = 0, SamplesPerSecond = 0 },
                resumed.Trainer.History[i] with { Seconds = 0, SamplesPerSecond = 0 });
        // It learned something: three noisy blobs, chance is 1/3.
        Assert.True(straight.Trainer.History.Last!.ValAccuracy >= 0.7, $"val acc {straight.Trainer.History.Last.ValAccuracy}");
    }
}
