using System.Text.Json;
using Nabla.Cli.Runs;
using Nabla.Tests.Support;
using static Nabla.Tests.Cli.CliHarness;

namespace Nabla.Tests.Cli;

/// <summary>
/// `nabla train gpt` and `nabla generate` with its checkpoint: a tiny real run (a few hundred characters), the
/// sidecar describing the Transformer, the round trip through generate (also with a prefix longer than the window),
/// and the options that make no sense for a Transformer (or only for one), refused with their names.
/// </summary>
[Collection(CliTrainingCollection.Name)]
public class GptCommandTests
{
    const string Text = "the time traveller for so it will be convenient to speak of him was expounding a recondite matter to us " +
        "his grey eyes shone and twinkled and his usually pale face was flushed and animated the fire burned brightly ";

    static string[] Tiny(string data, string outFolder, params string[] more) =>
        ["train", "gpt", "--data", data, "--out", outFolder, "--epochs", "2", "--batch-size", "4", "--num-steps", "8",
            "--hidden", "16", "--heads", "2", "--ffn", "24", "--layers", "1", "--seed", "5", .. more];

    [Fact]
    public void TinyRunWritesATransformerSidecarAndGenerates()
    {
        using var temp = new TempFolder();
        string data = Path.Combine(temp.Path, "text.txt");
        File.WriteAllText(data, Text);
        string outFolder = Path.Combine(temp.Path, "run");
        var r = Run(Tiny(data, outFolder, "--sampling", "sequential", "--json"));
        Assert.True(r.ExitCode == 0, r.ToString());
        var j = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal("gpt", j.GetProperty("model").GetString());
        Assert.Equal("transformer", j.GetProperty("cell").GetString());
        int vocab = Text.Distinct().Count() + 1;
        Assert.InRange(j.GetProperty("train_perplexity").GetDouble(), 1.0, vocab * 1.5);
        Assert.Contains("gpt: transformer 1×16 (2 heads, feed-forward 24, max_len 16), learned positions", r.Err);
        Assert.Contains("sequential sampling", r.Err);

        string checkpoint = Path.Combine(outFolder, "gpt.safetensors");
        var tensors = Nabla.IO.Safetensors.Load(checkpoint, out _);
        Assert.Equal([16, 16], tensors["position_embedding.weight"].Shape);            // max_len = 2 × --num-steps (sequential)
        Assert.Equal([48, 16], tensors["layers.0.self_attn.in_proj_weight"].Shape);
        Assert.Equal([vocab, 16], tensors["lm_head.weight"].Shape);
        var config = LanguageModelConfig.Load(Path.Combine(outFolder, "gpt.json"), "test");
        Assert.Equal(("transformer", 16, 1, 2, 24, 16, false), (config.Cell, config.HiddenSize, config.NumLayers, config.NumHeads, config.DimFeedforward, config.MaxLen, config.TieWeights));
        Assert.Equal("sequential", config.Sampling);
        Assert.Equal(j.GetProperty("parameters").GetInt64(), config.Parameters);

        var g = Run("generate", checkpoint, "--prefix", "the time", "--length", "30", "--json");
        Assert.True(g.ExitCode == 0, g.ToString());
        var text = JsonDocument.Parse(g.Out).RootElement.GetProperty("text").GetString()!;
        Assert.StartsWith("the time", text);
        Assert.Equal("the time".Length + 30, text.Length);
        Assert.All(text, c => Assert.Contains(c, Text));

        // A prefix longer than the 16-token window: the model reads its last 16 characters, so the continuation is
        // the same as for those 16 alone; the printed text keeps the whole prefix.
        var longPrefix = Run("generate", checkpoint, "--prefix", "his grey eyes shone and", "--length", "20");
        var shortPrefix = Run("generate", checkpoint, "--prefix", "y eyes shone and", "--length", "20");
        Assert.True(longPrefix.ExitCode == 0, longPrefix.ToString());
        Assert.StartsWith("his grey eyes shone and", longPrefix.Out);
        Assert.Equal(shortPrefix.Out.Trim()["y eyes shone and".Length..], longPrefix.Out.Trim()["his grey eyes shone and".Length..]);
    }

    [Fact]
    public void RandomSamplingIsTheDefaultAndTrainsAWindowOfNumSteps()
    {
        using var temp = new TempFolder();
        string data = Path.Combine(temp.Path, "text.txt");
        File.WriteAllText(data, Text);
        string outFolder = Path.Combine(temp.Path, "run");
        var r = Run(Tiny(data, outFolder, "--epochs", "1"));
        Assert.True(r.ExitCode == 0, r.ToString());
        var config = LanguageModelConfig.Load(Path.Combine(outFolder, "gpt.json"), "test");
        Assert.Equal(("random", 8), (config.Sampling, config.MaxLen));
        var g = Run("generate", Path.Combine(outFolder, "gpt.safetensors"), "--prefix", "his grey eyes shone", "--length", "20");
        Assert.True(g.ExitCode == 0, g.ToString());
    }

    [Theory]
    [InlineData("gpt", "--cell", "lstm", "train: --cell applies to the recurrent language models (char-lm, word-lm), not to gpt, a Transformer; size it with --hidden (d_model), --layers, --heads and --ffn")]
    [InlineData("gpt", "--embed", "16", "train: --embed applies to the recurrent language models (char-lm, word-lm), not to gpt, whose embeddings are --hidden (d_model) wide")]
    [InlineData("gpt", "--heads", "0", "--heads must be at least 1, got 0")]
    [InlineData("gpt", "--heads", "3", "train: --hidden 128 (d_model) must be divisible by --heads 3")]
    [InlineData("char-lm", "--heads", "2", "train: --heads applies to the Transformer language model gpt, not to the recurrent char-lm")]
    [InlineData("word-lm", "--ffn", "64", "train: --ffn applies to the Transformer language model gpt, not to the recurrent word-lm")]
    [InlineData("lenet", "--heads", "2", "train: --heads applies to the language models (char-lm, word-lm, gpt), not to the image model lenet")]
    public void OptionsForTheOtherKindOfModelAreRefused(string model, string option, string value, string message)
    {
        using var temp = new TempFolder();
        string outFolder = Path.Combine(temp.Path, "run");
        var r = Run("train", model, "--out", outFolder, option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Err);
        Assert.False(Directory.Exists(outFolder));
    }

    [Fact]
    public void ASidecarWithAnImpossibleTransformerIsRefused()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, "gpt.json");
        File.WriteAllText(path, """
            {"format": "nabla-lm/1", "model": "gpt", "cell": "transformer", "hidden_size": 16, "num_heads": 3, "dim_feedforward": 24,
             "max_len": 8, "num_layers": 1, "embed_size": 0, "vocab_size": 20, "vocabulary": "gpt.vocab.json", "tokenizer": "char"}
            """);
        var e = Assert.Throws<InvalidDataException>(() => LanguageModelConfig.Load(path, "generate"));
        Assert.Contains("has an impossible transformer configuration (hidden_size 16, num_heads 3, dim_feedforward 24, max_len 8)", e.Message);
    }
}
