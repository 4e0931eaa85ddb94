using System.Diagnostics;
using System.Globalization;
using System.Text;
using Nabla.Autograd;
using Nabla.Cli.Commands;
using Nabla.IO;
using Nabla.Models.Generative;
using Nabla.NN;
using Nabla.Optim;
using Spectre.Console;

namespace Nabla.Cli.Runs;

/// <summary>
/// `nabla train vae` and `nabla train autoencoder`: a variational autoencoder or a plain one (784-400-20, the layout
/// of PyTorch's VAE example) on Fashion-MNIST's pixels, Adam lr 1e-3, batch 128. Each epoch reports the training
/// loss and the test loss; --out gets the checkpoint, a JSON sidecar, the loss curves, the first test images above
/// their reconstructions, and for the VAE images decoded from z ~ N(0, I). Details: docs/generative.md.
/// </summary>
public static class GenerativeRun
{
    public const string Vae = "vae", Autoencoder = "autoencoder";

    /// <summary>The models of this run and of <see cref="GanRun"/>: `nabla train` sends all four here.</summary>
    public static IReadOnlyList<string> Models { get; } = [Vae, Autoencoder, GanRun.Gan, GanRun.ConditionalGan, GanRun.DcGan];

    public static bool Handles(string? model) => model is not null && Models.Contains(model.ToLowerInvariant());

    const int Hidden = 400, Latent = 20, Pixels = 28 * 28;

    /// <summary>The options of other model kinds, refused by name.</summary>
    public static string? Problem(TrainCommand.Settings s)
    {
        foreach (var (name, given) in new (string, bool)[] { ("--resize", s.Resize is not null), ("--augment", s.Augment), ("--init", s.Init is not null), ("--schedule", s.Schedule is not null) })
            if (given) return $"train: {name} applies to the image classifiers, not to {s.Model}.";
        bool gan = s.Model.ToLowerInvariant() is GanRun.Gan or GanRun.ConditionalGan or GanRun.DcGan;
        if (gan && s.Optimizer is { } o && !o.Equals("adam", StringComparison.OrdinalIgnoreCase))
            return $"train {s.Model}: both networks use Adam (β₁ = 0.5); --optimizer {o} is not supported here.";
        if (s.Momentum is > 0 && !OptimizerFactory.HasMomentum(s.Optimizer ?? "adam"))
            return $"train: --momentum applies to sgd and rmsprop, not {s.Optimizer ?? "adam"} (the default for {s.Model}).";
        return null;
    }

    public static int Run(TrainCommand.Settings s, IAnsiConsole console, ErrorConsole errors)
    {
        string model = s.Model.ToLowerInvariant();
        if (model is GanRun.Gan or GanRun.ConditionalGan or GanRun.DcGan) return GanRun.Run(s, console, errors);
        string optimizerName = (s.Optimizer ?? "adam").ToLowerInvariant();
        double lr = s.Lr ?? (optimizerName == "adam" ? 1e-3 : OptimizerFactory.DefaultLr(optimizerName));
        int epochs = s.Epochs ?? 10, batchSize = s.BatchSize ?? 128;
        var log = s.Json ? errors.Console : console;

        // Input first: nothing is written when the data is missing or bad.
        var (source, data) = ImageData.LoadForTraining(s.Data, s.Limit, s.Seed, notice => errors.Console.MarkupLine($"[yellow]{Markup.Escape(notice)}[/]"));

        var generator = new Generator(unchecked((ulong)s.Seed));
        Module net = model == Vae ? new VariationalAutoencoder(Pixels, [Hidden], Latent, generator: generator) : new Autoencoder(Pixels, [Hidden], Latent, generator: generator);
        var optimizer = OptimizerFactory.Create(optimizerName, net.Parameters(), lr, s.Momentum ?? 0, s.WeightDecay);
        var trainLoader = data.TrainLoader(batchSize, 28, augment: false, s.Seed, new Generator(unchecked((ulong)s.Seed) + 1));
        var testLoader = data.TestLoader(256, 28);
        string description = model == Vae
            ? $"VAE 784-{Hidden}-{Latent} (z = μ + σ·ε), loss = cross-entropy + KL per image"
            : $"autoencoder 784-{Hidden}-{Latent}-{Hidden}-784, loss = cross-entropy per image";
        log.MarkupLine(Markup.Escape($"{model}: {description}; {net.NumParameters():N0} parameters; {optimizerName} lr {lr.ToString(CultureInfo.InvariantCulture)}, " +
            $"batch {batchSize}, {epochs} epoch(s), {data.Train!.Count:N0} training and {data.Test.Count:N0} test images, {Threading.NumThreads} thread(s)"));

        var clock = Stopwatch.StartNew();
        var history = new List<(double Train, double Test, double Seconds)>();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            net.Train();
            double sum = 0;
            long images = 0;
            foreach (var batch in trainLoader)
            {
                optimizer.ZeroGrad();
                var loss = Loss(net, batch.Input);
                loss.Backward();
                optimizer.Step();
                sum += loss.Item() * batch.Size;
                images += batch.Size;
            }
            double train = sum / images, test = TestLoss(net, testLoader);
            if (!double.IsFinite(train))
                throw new InvalidOperationException($"train {model}: the loss became {train} in epoch {epoch}; lower --lr (it is {lr.ToString(CultureInfo.InvariantCulture)}).");
            history.Add((train, test, epochClock.Elapsed.TotalSeconds));
            log.MarkupLine(Markup.Escape($"epoch {epoch}/{epochs}  train loss {train:F2}  test loss {test:F2}  ({epochClock.Elapsed.TotalSeconds:F1} s)"));
        }
        double seconds = clock.Elapsed.TotalSeconds;

        string folder = Path.GetFullPath(s.Out ?? Path.Combine("runs", model));
        Directory.CreateDirectory(folder);
        string checkpoint = Path.Combine(folder, model + ".safetensors"), sidecar = Path.Combine(folder, model + ".json");
        string curves = Path.Combine(folder, model + "-curves.png"), reconstructions = Path.Combine(folder, model + "-reconstructions.png");
        string? samples = model == Vae ? Path.Combine(folder, model + "-samples.png") : null;
        Checkpoint.Save(checkpoint, net);
        var facts = new GenerativeSidecar.RunFacts(model, description, net.NumParameters(), source, data, optimizerName, lr, batchSize, s.Seed, seconds, checkpoint);
        string json = GenerativeSidecar.Write(facts, history.Select(h => new[] { ("train_loss", h.Train, 4), ("test_loss", h.Test, 4), ("seconds", h.Seconds, 2) }).ToList(), own =>
        {
            own.WriteNumber("hidden", Hidden);
            own.WriteNumber("latent", Latent);
            own.WriteNumber("train_loss", Math.Round(history[^1].Train, 4));
            own.WriteNumber("test_loss", Math.Round(history[^1].Test, 4));
        });
        AtomicFile.Write(sidecar, stream => stream.Write(Encoding.UTF8.GetBytes(json)));
        void Warn(string m) => errors.Console.MarkupLine($"[yellow]{Markup.Escape(m)}[/]");
        bool drawn = PlotRenderer.TryDraw(() => GenerativePlots.Curves(curves, [("train loss", history.Select(h => h.Train).ToList()),
                ("test loss", history.Select(h => h.Test).ToList())], $"{model} on Fashion-MNIST", "loss per image"), "the loss curves", Warn)
            && PlotRenderer.TryDraw(() => GenerativePlots.Reconstructions(reconstructions, net, data.Test), "the reconstructions", Warn)
            && (samples is null || PlotRenderer.TryDraw(() => GenerativePlots.Samples(samples, (VariationalAutoencoder)net), "the samples", Warn));

        if (s.Json)
        {
            console.Profile.Out.Writer.WriteLine(json);
            return 0;
        }
        console.MarkupLine($"trained in [bold]{seconds:0.0} s[/]; final test loss [bold]{history[^1].Test:0.00}[/] per image");
        console.MarkupLine($"checkpoint       {Markup.Escape(checkpoint)}");
        console.MarkupLine($"sidecar          {Markup.Escape(sidecar)}");
        if (drawn)
        {
            console.MarkupLine($"curves           {Markup.Escape(curves)}");
            console.MarkupLine($"reconstructions  {Markup.Escape(reconstructions)}");
            if (samples is not null) console.MarkupLine($"samples          {Markup.Escape(samples)}");
        }
        return 0;
    }

    /// <summary>The training loss of a batch of images, per image: the negative ELBO (VAE) or the summed cross-entropy (autoencoder).</summary>
    static Tensor Loss(Module net, Tensor images)
    {
        if (net is VariationalAutoencoder vae) return VariationalAutoencoder.Loss(vae.Run(images), images).Total;
        int n = images.Size(0);
        return Functional.BinaryCrossEntropyWithLogits(net.Forward(images), images.Reshape(n, Pixels), reduction: Reduction.Sum) / n;
    }

    /// <summary>
    /// The same loss on the test images, without gradients. The VAE stays in training mode here, so z is drawn as in
    /// training and the figure is the usual one-sample estimate of the negative ELBO.
    /// </summary>
    static double TestLoss(Module net, IEnumerable<Nabla.Data.Batch> loader)
    {
        double sum = 0;
        long images = 0;
        using (new NoGrad())
            foreach (var batch in loader)
            {
                sum += Loss(net, batch.Input).Item() * batch.Size;
                images += batch.Size;
            }
        return sum / images;
    }
}
