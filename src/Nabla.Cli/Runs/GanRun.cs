using System.Diagnostics;
using System.Globalization;
using System.Text;
using Nabla.Cli.Commands;
using Nabla.IO;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;
using Spectre.Console;

namespace Nabla.Cli.Runs;

/// <summary>
/// `nabla train gan`, `cgan` and `dcgan`: a GAN of fully connected networks on Fashion-MNIST's pixels, the
/// conditional one reading the one-hot class too, or the convolutional DCGAN (<see cref="Convolutional"/>), all
/// trained by <see cref="GanTrainer"/>. G: z (64) [+ class] → 256 → 512 → 784,
/// LeakyReLU(0.2) between, a sigmoid at the end (pixels in [0, 1]); D: 784 [+ class] → 512 → 256 → 1 logit. Adam lr
/// 2e-4 with β₁ = 0.5 for both (the DCGAN paper's settings), batch 128. --out gets both networks in one checkpoint
/// (generator.*, discriminator.*), a sidecar with both losses per epoch, their curves and a grid of generated images
/// (for cgan one row per class). Details: docs/generative.md.
/// </summary>
public static class GanRun
{
    public const string Gan = "gan", ConditionalGan = "cgan", DcGan = "dcgan";

    const int NoiseSize = 64, Pixels = 28 * 28, Classes = 10;

    /// <summary>The two networks under one module, so one checkpoint holds both with PyTorch-style prefixes.</summary>
    sealed class Pair : Module
    {
        public Pair(Sequential generator, Sequential discriminator)
        {
            Generator = RegisterModule("generator", generator);
            Discriminator = RegisterModule("discriminator", discriminator);
        }

        public Sequential Generator { get; }
        public Sequential Discriminator { get; }

        public override Tensor Forward(Tensor input) => Generator.Forward(input);
    }

    /// <summary>
    /// The DCGAN networks (Radford et al. 2016) at 28×28: G projects z to 128×7×7, then two stride-2 transposed
    /// convolutions (4×4) with batch norm and ReLU between them reach 1×28×28 through a sigmoid; D mirrors it with
    /// stride-2 convolutions, LeakyReLU(0.2) and batch norm on the second, and a linear score.
    /// </summary>
    static Pair Convolutional(Generator rng) => new(
        new Sequential(new Linear(NoiseSize, 128 * 7 * 7, generator: rng), new BatchNorm1d(128 * 7 * 7), new ReLU(), new Unflatten(1, 128, 7, 7),
            new ConvTranspose2d(128, 64, 4, stride: 2, padding: 1, generator: rng), new BatchNorm2d(64), new ReLU(),
            new ConvTranspose2d(64, 1, 4, stride: 2, padding: 1, generator: rng), new Sigmoid()),
        new Sequential(new Conv2d(1, 64, 4, stride: 2, padding: 1, generator: rng), new LeakyReLU(0.2),
            new Conv2d(64, 128, 4, stride: 2, padding: 1, generator: rng), new BatchNorm2d(128), new LeakyReLU(0.2),
            new Flatten(), new Linear(128 * 7 * 7, 1, generator: rng)));

    public static int Run(TrainCommand.Settings s, IAnsiConsole console, ErrorConsole errors)
    {
        string model = s.Model.ToLowerInvariant();
        bool conditional = model == ConditionalGan;
        double lr = s.Lr ?? 2e-4;
        // The DCGAN's convolutions took 106–112 s an epoch on two cores, so it trains 5 by default.
        int epochs = s.Epochs ?? (model == DcGan ? 5 : 10), batchSize = s.BatchSize ?? 128;
        var log = s.Json ? errors.Console : console;
        var (source, data) = ImageData.LoadForTraining(s.Data, s.Limit, s.Seed, notice => errors.Console.MarkupLine($"[yellow]{Markup.Escape(notice)}[/]"));

        var rng = new Generator(unchecked((ulong)s.Seed));
        int condition = conditional ? Classes : 0;
        var pair = model == DcGan ? Convolutional(rng) : new Pair(
            new Sequential(new Linear(NoiseSize + condition, 256, generator: rng), new LeakyReLU(0.2), new Linear(256, 512, generator: rng), new LeakyReLU(0.2),
                new Linear(512, Pixels, generator: rng), new Sigmoid()),
            new Sequential(new Linear(Pixels + condition, 512, generator: rng), new LeakyReLU(0.2), new Linear(512, 256, generator: rng), new LeakyReLU(0.2),
                new Linear(256, 1, generator: rng)));
        var trainer = new GanTrainer(pair.Generator, pair.Discriminator,
            new Adam(pair.Generator.Parameters(), lr, betas: (0.5, 0.999), weightDecay: s.WeightDecay ?? 0),
            new Adam(pair.Discriminator.Parameters(), lr, betas: (0.5, 0.999), weightDecay: s.WeightDecay ?? 0));
        var loader = data.TrainLoader(batchSize, 28, augment: false, s.Seed, new Generator(unchecked((ulong)s.Seed) + 1));
        string description = model == DcGan
            ? $"DCGAN: G {NoiseSize} → 128×7×7 → ConvTranspose 64×14×14 → ConvTranspose 1×28×28; D Conv 64×14×14 → Conv 128×7×7 → 1"
            : $"{(conditional ? "conditional GAN" : "GAN")}: G {NoiseSize}{(conditional ? "+10" : "")}-256-512-784, D 784{(conditional ? "+10" : "")}-512-256-1";
        log.MarkupLine(Markup.Escape($"{model}: {description}; {pair.NumParameters():N0} parameters; adam lr {lr.ToString(CultureInfo.InvariantCulture)} (β₁ 0.5), " +
            $"batch {batchSize}, {epochs} epoch(s), {data.Train!.Count:N0} training images, {Threading.NumThreads} thread(s)"));

        var clock = Stopwatch.StartNew();
        var history = new List<(double Discriminator, double Generator, double Seconds)>();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            double d = 0, g = 0;
            long images = 0;
            foreach (var batch in loader)
            {
                int n = batch.Size;
                var real = model == DcGan ? batch.Input : batch.Input.Reshape(n, Pixels);
                var labels = conditional ? Tensor.OneHot(batch.Target, Classes).To(DType.Float32) : null;
                var losses = trainer.Step(real, Tensor.Randn([n, NoiseSize], generator: rng), labels);
                d += losses.Discriminator * n;
                g += losses.Generator * n;
                images += n;
            }
            if (!double.IsFinite(d) || !double.IsFinite(g))
                throw new InvalidOperationException($"train {model}: the losses became {d / images} (D) and {g / images} (G) in epoch {epoch}; lower --lr.");
            history.Add((d / images, g / images, epochClock.Elapsed.TotalSeconds));
            log.MarkupLine(Markup.Escape($"epoch {epoch}/{epochs}  D loss {d / images:F4}  G loss {g / images:F4}  ({epochClock.Elapsed.TotalSeconds:F1} s)"));
        }
        double seconds = clock.Elapsed.TotalSeconds;

        string folder = Path.GetFullPath(s.Out ?? Path.Combine("runs", model));
        Directory.CreateDirectory(folder);
        string checkpoint = Path.Combine(folder, model + ".safetensors"), sidecar = Path.Combine(folder, model + ".json");
        string curves = Path.Combine(folder, model + "-curves.png"), samples = Path.Combine(folder, model + "-samples.png");
        Checkpoint.Save(checkpoint, pair);
        var facts = new GenerativeSidecar.RunFacts(model, description, pair.NumParameters(), source, data, "adam", lr, batchSize, s.Seed, seconds, checkpoint);
        string json = GenerativeSidecar.Write(facts, history.Select(h => new[] { ("discriminator_loss", h.Discriminator, 5), ("generator_loss", h.Generator, 5), ("seconds", h.Seconds, 2) }).ToList(),
            own => own.WriteNumber("noise", NoiseSize));
        AtomicFile.Write(sidecar, stream => stream.Write(Encoding.UTF8.GetBytes(json)));
        void Warn(string m) => errors.Console.MarkupLine($"[yellow]{Markup.Escape(m)}[/]");
        bool drawn = PlotRenderer.TryDraw(() => GenerativePlots.Curves(curves, [("discriminator", history.Select(h => h.Discriminator).ToList()),
                ("generator", history.Select(h => h.Generator).ToList())], $"{model} on Fashion-MNIST", "loss"), "the loss curves", Warn)
            && PlotRenderer.TryDraw(() => GenerativePlots.GanSamples(samples, trainer, NoiseSize, conditional ? Classes : null, rng), "the samples", Warn);

        if (s.Json)
        {
            console.Profile.Out.Writer.WriteLine(json);
            return 0;
        }
        console.MarkupLine($"trained in [bold]{seconds:0.0} s[/]; last epoch D loss [bold]{history[^1].Discriminator:0.0000}[/], G loss [bold]{history[^1].Generator:0.0000}[/]");
        console.MarkupLine($"checkpoint  {Markup.Escape(checkpoint)}");
        console.MarkupLine($"sidecar     {Markup.Escape(sidecar)}");
        if (drawn)
        {
            console.MarkupLine($"curves      {Markup.Escape(curves)}");
            console.MarkupLine($"samples     {Markup.Escape(samples)}");
        }
        return 0;
    }
}
