using Nabla.Autograd;
using Nabla.Data;
using Nabla.Models.Generative;
using Nabla.NN;
using ScottPlot;

namespace Nabla.Cli.Runs;

/// <summary>The pictures of `nabla train vae|autoencoder`: loss curves, reconstructions, samples.</summary>
public static class GenerativePlots
{
    /// <summary>Loss curves per epoch, one line per named series (solid, then dashed).</summary>
    public static void Curves(string path, IReadOnlyList<(string Label, IReadOnlyList<double> Values)> series, string title, string yLabel)
    {
        var plot = new Plot();
        var colors = new[] { Colors.C0, Colors.C1, Colors.C2 };
        for (int i = 0; i < series.Count; i++)
        {
            double[] epochs = Enumerable.Range(1, series[i].Values.Count).Select(e => (double)e).ToArray();
            var line = plot.Add.Scatter(epochs, series[i].Values.ToArray(), colors[i % colors.Length]);
            line.LegendText = series[i].Label;
            line.LinePattern = i == 0 ? LinePattern.Solid : LinePattern.Dashed;
        }
        EpochPlotLayout.Save(plot, path, title, yLabel, series[0].Values.Count, Alignment.UpperRight, 900, 500);
    }

    /// <summary>The first 16 test images (rows 1 and 3) above their reconstructions (rows 2 and 4); a VAE decodes z = μ.</summary>
    public static void Reconstructions(string path, Module net, IDataset<Example> test)
    {
        int count = Math.Min(16, test.Count);
        var images = Enumerable.Range(0, count).Select(i => test.Get(i).Input).ToList();
        Tensor logits;
        net.Eval();
        using (new NoGrad()) logits = net.Forward(Tensor.Stack(images));
        var decoded = logits.Sigmoid();
        var tiles = new List<Tensor>();
        for (int row = 0; row < count; row += 8)
        {
            int width = Math.Min(8, count - row);
            tiles.AddRange(images.Skip(row).Take(width));
            tiles.AddRange(Enumerable.Range(row, width).Select(i => decoded.Select(0, i).Reshape(1, 28, 28)));
        }
        ImageGrid.Save(path, tiles, columns: 8);
    }

    /// <summary>32 images decoded from z ~ N(0, I).</summary>
    public static void Samples(string path, VariationalAutoencoder vae)
    {
        Tensor logits;
        using (new NoGrad()) logits = vae.Sample(32);
        var decoded = logits.Sigmoid();
        ImageGrid.Save(path, Enumerable.Range(0, 32).Select(i => decoded.Select(0, i).Reshape(1, 28, 28)).ToList(), columns: 8);
    }

    /// <summary>
    /// 32 images from G: for a conditional GAN (<paramref name="classes"/> given) one row of 8 per class, else 4 rows.
    /// </summary>
    public static void GanSamples(string path, Nabla.Training.GanTrainer trainer, int noiseSize, int? classes, Generator rng)
    {
        int rows = classes ?? 4, count = rows * 8;
        var noise = Tensor.Randn([count, noiseSize], generator: rng);
        Tensor? condition = classes is { } c
            ? Tensor.OneHot(Tensor.From(Enumerable.Range(0, count).Select(i => (long)(i / 8)).ToArray(), count), c).To(DType.Float32)
            : null;
        Tensor images;
        using (new NoGrad()) images = trainer.Generate(noise, condition);
        ImageGrid.Save(path, Enumerable.Range(0, count).Select(i => images.Select(0, i).Reshape(1, 28, 28)).ToList(), columns: 8);
    }
}
