using Nabla.Autograd;
using Nabla.Data;
using Nabla.Models.Generative;
using Nabla.NN;
using ScottPlot;

namespace Nabla.Cli.Runs;

/// <summary>The pictures of `nabla train vae|autoencoder`: loss curves, reconstructions, samples.</summary>
public static class GenerativePlots
{
    /// <summary>Training and test loss per epoch.</summary>
    public static void Curves(string path, IReadOnlyList<(double Train, double Test)> losses, string title)
    {
        var plot = new Plot();
        double[] epochs = Enumerable.Range(1, losses.Count).Select(e => (double)e).ToArray();
        var train = plot.Add.Scatter(epochs, losses.Select(l => l.Train).ToArray(), Colors.C0);
        train.LegendText = "train loss";
        var test = plot.Add.Scatter(epochs, losses.Select(l => l.Test).ToArray(), Colors.C1);
        test.LegendText = "test loss";
        test.LinePattern = LinePattern.Dashed;
        EpochPlotLayout.Save(plot, path, title, "loss per image", losses.Count, Alignment.UpperRight, 900, 500);
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
}
