using System.Text.Json;
using Nabla.Cli.Runs;
using Nabla.Tests.Support;
using static Nabla.Tests.Cli.CliHarness;

namespace Nabla.Tests.Cli;

/// <summary>
/// `nabla train translate` and `nabla translate`: tiny real runs of each architecture on a small synthetic pair
/// file, the checkpoint → translate round trip with the attention heat map, and bad input, asserting on the messages.
/// </summary>
[Collection(CliTrainingCollection.Name)]
public class TranslateCommandTests
{
    static readonly string[] Nouns = ["cat", "dog", "house", "car", "tree", "book", "bird", "river", "apple", "chair", "door", "horse"];
    static readonly string[] Noms = ["chat", "chien", "maison", "voiture", "arbre", "livre", "oiseau", "fleuve", "pomme", "chaise", "porte", "cheval"];

    /// <summary>"i see the cat ." → "je vois le chat ." and the like: 72 pairs, every word at least twice.</summary>
    static string WritePairs(TempFolder temp)
    {
        var lines = new List<string>();
        for (int i = 0; i < Nouns.Length; i++)
        {
            lines.Add($"I see the {Nouns[i]}.\tJe vois le {Noms[i]}.");
            lines.Add($"I like the {Nouns[i]}.\tJ'aime le {Noms[i]}.");
            lines.Add($"Where is the {Nouns[i]}?\tOù est le {Noms[i]} ?");
            lines.Add($"The {Nouns[i]} is here.\tLe {Noms[i]} est ici.");
            lines.Add($"The {Nouns[i]} is big.\tLe {Noms[i]} est grand.");
            lines.Add($"I want the {Nouns[i]}!\tJe veux le {Noms[i]} !");
        }
        string path = Path.Combine(temp.Path, "pairs.txt");
        File.WriteAllLines(path, lines);
        return path;
    }

    static string[] Tiny(string data, string outFolder, string arch, params string[] more) =>
        ["train", "translate", "--arch", arch, "--data", data, "--out", outFolder, "--epochs", "2", "--batch-size", "16",
            "--hidden", "16", "--layers", "1", "--seed", "3", "--threads", "1", "--warmup", "2", "--lr", "0.01", .. more];

    [Theory]
    [InlineData("seq2seq")]
    [InlineData("seq2seq-attn")]
    [InlineData("transformer")]
    public void TinyRunWritesCheckpointSidecarVocabulariesAndJsonThenTranslates(string arch)
    {
        using var temp = new TempFolder();
        string data = WritePairs(temp);
        string outFolder = Path.Combine(temp.Path, "run");
        var extra = arch == "transformer" ? new[] { "--heads", "2", "--ffn", "24" } : new[] { "--embed", "8" };
        var r = Run(Tiny(data, outFolder, arch, [.. extra, "--json", "--beam", "2"]));
        Assert.True(r.ExitCode == 0, r.ToString());
        var j = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal("translate", j.GetProperty("model").GetString());
        Assert.Equal(arch, j.GetProperty("arch").GetString());
        Assert.Equal(2, j.GetProperty("epochs").GetInt32());
        Assert.Equal(2, j.GetProperty("beam_size").GetInt32());
        Assert.InRange(j.GetProperty("bleu_beam").GetDouble(), 0, 1);
        Assert.InRange(j.GetProperty("bleu_greedy").GetDouble(), 0, 1);
        Assert.Contains("epoch 2/2  loss/token", r.Err);

        string name = "translate-" + arch;
        string checkpoint = Path.Combine(outFolder, name + ".safetensors");
        Assert.Equal(checkpoint, j.GetProperty("checkpoint").GetString());
        var sidecar = TranslationRunConfig.Load(Path.ChangeExtension(checkpoint, ".json"), "test");
        Assert.Equal(arch, sidecar.Arch);
        Assert.Equal(2, sidecar.WarmupSteps);
        Assert.Equal(arch == "transformer" ? 24 : 0, sidecar.FeedForward);
        Assert.Equal(2, sidecar.History.Count);
        Assert.True(sidecar.History[1].LossPerToken < sidecar.History[0].LossPerToken, "the loss should fall from epoch 1 to 2");
        Assert.True(sidecar.HeldOutSources > 0);
        Assert.Equal(Math.Min(10, sidecar.HeldOutSources), sidecar.Examples.Count);
        Assert.True(File.Exists(Path.Combine(outFolder, sidecar.SourceVocabulary)));
        Assert.True(File.Exists(Path.Combine(outFolder, sidecar.TargetVocabulary)));

        string png = Path.Combine(temp.Path, "attention.png");
        var t = Run(["translate", checkpoint, "I see the dog.", "--json", "--beam", "2", .. arch == "seq2seq" ? Array.Empty<string>() : ["--attention", png]]);
        Assert.True(t.ExitCode == 0, t.ToString());
        var tj = JsonDocument.Parse(t.Out).RootElement;
        Assert.Equal("i see the dog .", tj.GetProperty("tokens").GetString());
        Assert.Equal(arch, tj.GetProperty("arch").GetString());
        if (arch != "seq2seq")
        {
            Assert.Equal(png, tj.GetProperty("attention").GetString());
            var (w, h) = PngSize(png);
            Assert.True(w >= 420 && h >= 320, $"{w}×{h}");
        }
        else
        {
            var bad = Run(["translate", checkpoint, "I see the dog.", "--attention", png]);
            Assert.NotEqual(0, bad.ExitCode);
            Assert.Contains("--attention needs a model with attention", bad.Err);
        }
    }

    [Theory]
    [InlineData(new[] { "--arch", "lstm" }, "--arch: unknown architecture 'lstm'; the architectures are seq2seq, seq2seq-attn, transformer")]
    [InlineData(new[] { "--arch", "seq2seq", "--heads", "2" }, "--heads applies to --arch transformer, not seq2seq")]
    [InlineData(new[] { "--arch", "seq2seq-attn", "--ffn", "64" }, "--ffn applies to --arch transformer, not seq2seq-attn")]
    [InlineData(new[] { "--arch", "transformer", "--heads", "3" }, "--heads 3 must be at least 1 and divide the model width --hidden 256")]
    [InlineData(new[] { "--arch", "transformer", "--embed", "64" }, "the transformer's embedding width is its model width")]
    [InlineData(new[] { "--cell", "gru" }, "--cell does not apply to translate")]
    [InlineData(new[] { "--beam", "0" }, "--beam must be at least 1, got 0")]
    [InlineData(new[] { "--warmup", "-1" }, "--warmup must be 0 or more batches, got -1")]
    public void BadTrainingOptionsAreRefusedBeforeAnythingIsWritten(string[] options, string message)
    {
        using var temp = new TempFolder();
        string outFolder = Path.Combine(temp.Path, "run");
        var r = Run(["train", "translate", "--out", outFolder, .. options]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(message, r.Err);
        Assert.False(Directory.Exists(outFolder));
    }

    [Fact]
    public void TranslationOptionsAreRefusedForOtherModels()
    {
        var r = Run(["train", "lenet", "--arch", "transformer"]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--arch applies to translate, not to lenet", r.Err);
    }

    [Fact]
    public void TranslateRefusesMissingFilesAndForeignSidecars()
    {
        using var temp = new TempFolder();
        var r = Run(["translate", Path.Combine(temp.Path, "none.safetensors"), "hello ."]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("does not exist", r.Err);

        string checkpoint = Path.Combine(temp.Path, "m.safetensors");
        File.WriteAllBytes(checkpoint, [1, 2, 3]);
        r = Run(["translate", checkpoint, "hello ."]);
        Assert.Contains("sidecar", r.Err);
        Assert.Contains("is missing", r.Err);
        File.WriteAllText(Path.ChangeExtension(checkpoint, ".json"), "{\"format\": ");
        r = Run(["translate", checkpoint, "hello ."]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("is not valid JSON", r.Err);
        File.WriteAllText(Path.ChangeExtension(checkpoint, ".json"), "{\"format\": \"nabla-lm/1\"}");
        r = Run(["translate", checkpoint, "hello ."]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("has format 'nabla-lm/1', expected 'nabla-translate/1'", r.Err);

        r = Run(["translate", checkpoint, "  "]);
        Assert.Contains("the sentence is empty", r.Err);
    }

    [Fact]
    public void HeatMapRefusesWeightsThatDoNotMatchTheTokens()
    {
        using var temp = new TempFolder();
        var e = Assert.Throws<ArgumentException>(() =>
            AttentionHeatmap.Save(Path.Combine(temp.Path, "a.png"), new double[2, 3], ["a", "b"], ["x", "y"], "t"));
        Assert.Contains("weights [2, 3] do not match 2 target and 2 source tokens", e.Message);
        Assert.False(File.Exists(Path.Combine(temp.Path, "a.png")));
    }

    [Fact]
    public void LearningRateWarmsUpLinearlyThenFollowsACosineToZero()
    {
        Assert.Equal(0.01, TranslationRecipe.LrFactor(0, 100, 1000), 12);
        Assert.Equal(1.0, TranslationRecipe.LrFactor(99, 100, 1000), 12);
        Assert.Equal(1.0, TranslationRecipe.LrFactor(100, 100, 1000), 12);
        Assert.Equal(0.5, TranslationRecipe.LrFactor(550, 100, 1000), 12);
        Assert.Equal(0.0, TranslationRecipe.LrFactor(1000, 100, 1000), 12);
    }
}
