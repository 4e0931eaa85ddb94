using System.Text.Json;
using Nabla.Cli.Runs;
using Nabla.Tests.Support;
using static Nabla.Tests.Cli.CliHarness;

namespace Nabla.Tests.Cli;

/// <summary>
/// `nabla train char-lm|word-lm` and `nabla generate`: tiny real runs (a few hundred characters, a tiny PTB-shaped
/// folder), the checkpoint → generate round trip, and bad input, all asserting on the messages.
/// </summary>
[Collection(CliTrainingCollection.Name)]
public class LanguageModelCommandTests
{
    const string Text = "the time traveller for so it will be convenient to speak of him was expounding a recondite matter to us " +
        "his grey eyes shone and twinkled and his usually pale face was flushed and animated the fire burned brightly ";

    static string[] Tiny(string data, string outFolder, params string[] more) =>
        ["train", "char-lm", "--data", data, "--out", outFolder, "--epochs", "2", "--batch-size", "4", "--num-steps", "8",
            "--hidden", "16", "--embed", "8", "--seed", "5", .. more];

    static string WriteText(TempFolder temp, string text, string name = "text.txt")
    {
        string path = Path.Combine(temp.Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void TinyCharRunWritesCheckpointVocabularySidecarPlotAndJson()
    {
        using var temp = new TempFolder();
        string data = WriteText(temp, Text);
        string outFolder = Path.Combine(temp.Path, "run");
        var r = Run(Tiny(data, outFolder, "--cell", "gru", "--json"));
        Assert.True(r.ExitCode == 0, r.ToString());
        var j = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal(["model", "epochs", "train_perplexity", "val_perplexity", "test_perplexity", "seconds", "checkpoint"],
            j.EnumerateObject().Select(p => p.Name).Take(7));
        Assert.Equal("char-lm", j.GetProperty("model").GetString());
        Assert.Equal(2, j.GetProperty("epochs").GetInt32());
        double ppl = j.GetProperty("train_perplexity").GetDouble();
        int vocab = Text.Distinct().Count() + 1;                     // the characters and <unk>
        Assert.Equal(vocab, j.GetProperty("vocab_size").GetInt32());
        Assert.InRange(ppl, 1.0, vocab * 1.5);
        Assert.Equal(JsonValueKind.Null, j.GetProperty("val_perplexity").ValueKind);
        Assert.Equal(JsonValueKind.Null, j.GetProperty("test_perplexity").ValueKind);
        Assert.Contains("epoch 2/2  train perplexity", r.Err);
        Assert.Contains("tokens/s, ETA", r.Err);

        string checkpoint = Path.Combine(outFolder, "char-lm.safetensors");
        Assert.Equal(checkpoint, j.GetProperty("checkpoint").GetString());
        var tensors = Nabla.IO.Safetensors.Load(checkpoint, out _);
        Assert.Equal([48, 8], tensors["rnn.weight_ih_l0"].Shape);                // GRU: 3 gates × 16 hidden, embed 8
        Assert.Equal([vocab, 16], tensors["linear.weight"].Shape);
        var config = LanguageModelConfig.Load(Path.Combine(outFolder, "char-lm.json"), "test");
        Assert.Equal(("gru", 16, 1, 8, "char", "none", "sequential"), (config.Cell, config.HiddenSize, config.NumLayers, config.EmbedSize, config.Tokenizer, config.Cleaning, config.Sampling));
        Assert.Equal(ppl, config.TrainPerplexity);
        Assert.Equal(vocab, Nabla.Text.Vocabulary.Load(Path.Combine(outFolder, "char-lm.vocab.json")).Count);
        Assert.Equal((900, 500), PngSize(Path.Combine(outFolder, "char-lm-perplexity.png")));
    }

    [Fact]
    public void CheckpointGenerateRoundTrip()
    {
        using var temp = new TempFolder();
        string outFolder = Path.Combine(temp.Path, "run");
        var train = Run(Tiny(WriteText(temp, Text), outFolder, "--sampling", "random", "--epochs", "3"));
        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Contains("trained in", train.Out);
        Assert.Contains("nabla generate", train.Out);
        string checkpoint = Path.Combine(outFolder, "char-lm.safetensors");

        var greedy = Run("generate", checkpoint, "--prefix", "the time", "--length", "30", "--json");
        Assert.True(greedy.ExitCode == 0, greedy.ToString());
        var j = JsonDocument.Parse(greedy.Out).RootElement;
        string text = j.GetProperty("text").GetString()!;
        Assert.StartsWith("the time", text);
        Assert.Equal(30, j.GetProperty("generated").GetString()!.Length);     // one character per token here
        Assert.All(text, c => Assert.Contains(c, Text));

        // The same text as the library produces from the reloaded model.
        var config = LanguageModelConfig.Load(Path.ChangeExtension(checkpoint, ".json"), "test");
        var model = config.CreateModel();
        Nabla.IO.Checkpoint.Load(checkpoint, model.Module);
        var vocab = Nabla.Text.Vocabulary.Load(Path.Combine(outFolder, config.Vocabulary));
        var ids = Nabla.Models.Text.TextSampler.Generate(model, vocab.Encode("the time".Select(c => c.ToString())), 30, Nabla.Models.Text.Decoding.Greedy);
        Assert.Equal(text, string.Concat(vocab.Decode(ids)));

        // Plain output is the text; seeded sampling repeats.
        Assert.Equal(text, Run("generate", checkpoint, "--prefix", "the time", "--length", "30").Out.TrimEnd('\n'));
        var s1 = Run("generate", checkpoint, "--prefix", "the", "--strategy", "topk", "--top-k", "3", "--seed", "4", "--length", "40");
        var s2 = Run("generate", checkpoint, "--prefix", "the", "--strategy", "topk", "--top-k", "3", "--seed", "4", "--length", "40");
        Assert.True(s1.ExitCode == 0, s1.ToString());
        Assert.Equal(s1.Out, s2.Out);
    }

    [Fact]
    public void ChineseTextTrainsCharacterByCharacter()
    {
        using var temp = new TempFolder();
        string poem = string.Concat(Enumerable.Repeat("床前明月光，疑是地上霜。举头望明月，低头思故乡。", 8));
        string outFolder = Path.Combine(temp.Path, "run");
        var r = Run(Tiny(WriteText(temp, poem, "poem.txt"), outFolder, "--json", "--epochs", "1"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(poem.Distinct().Count() + 1, JsonDocument.Parse(r.Out).RootElement.GetProperty("vocab_size").GetInt32());
        var g = Run("generate", Path.Combine(outFolder, "char-lm.safetensors"), "--prefix", "床前", "--length", "5", "--json");
        Assert.True(g.ExitCode == 0, g.ToString());
        Assert.Equal(7, JsonDocument.Parse(g.Out).RootElement.GetProperty("text").GetString()!.Length);
    }

    [Fact]
    public void WordModelReportsValidationEachEpochAndTestAtTheEnd()
    {
        using var temp = new TempFolder();
        string ptb = Path.Combine(temp.Path, "ptb");
        Directory.CreateDirectory(ptb);
        string[] sentences = ["the company said it expects to report a loss", "the market fell sharply in N trading", "<unk> shares rose N cents to $ N"];
        File.WriteAllLines(Path.Combine(ptb, "ptb.train.txt"), Enumerable.Range(0, 12).Select(i => sentences[i % 3]));
        File.WriteAllLines(Path.Combine(ptb, "ptb.valid.txt"), sentences);
        File.WriteAllLines(Path.Combine(ptb, "ptb.test.txt"), [sentences[1], sentences[0]]);
        string outFolder = Path.Combine(temp.Path, "run");
        var r = Run("train", "word-lm", "--data", ptb, "--out", outFolder, "--epochs", "2", "--batch-size", "2", "--num-steps", "5",
            "--hidden", "12", "--embed", "6", "--layers", "2", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var j = JsonDocument.Parse(r.Out).RootElement;
        Assert.True(j.GetProperty("val_perplexity").GetDouble() > 1);
        Assert.True(j.GetProperty("test_perplexity").GetDouble() > 1);
        Assert.Contains("epoch 1/2  train perplexity", r.Err);
        Assert.Contains("val perplexity", r.Err);
        Assert.Contains("test perplexity", r.Err);
        var config = LanguageModelConfig.Load(Path.Combine(outFolder, "word-lm.json"), "test");
        Assert.Equal(("word", "sequential", 2), (config.Tokenizer, config.Sampling, config.NumLayers));

        // Unknown words become <unk>, with a note naming them.
        var g = Run("generate", Path.Combine(outFolder, "word-lm.safetensors"), "--prefix", "the zebra said", "--length", "4");
        Assert.True(g.ExitCode == 0, g.ToString());
        Assert.Contains("1 prefix word(s) are not in the vocabulary and were read as <unk>: 'zebra'", g.Err);
        Assert.StartsWith("the zebra said", g.Out);
    }

    [Theory]
    [InlineData("--cell", "bogus", "--cell: unknown cell 'bogus'; the cells are rnn, gru, lstm")]
    [InlineData("--sampling", "shuffled", "--sampling: unknown sampling 'shuffled'; the schemes are random, sequential")]
    [InlineData("--dropout", "1", "--dropout must lie in [0, 1), got 1")]
    [InlineData("--hidden", "0", "--hidden must be at least 1, got 0")]
    [InlineData("--embed", "-1", "--embed must be 0 (one-hot) or more, got -1")]
    [InlineData("--clip", "-1", "--clip must be a finite number ≥ 0 (0 turns clipping off), got -1")]
    [InlineData("--resize", "32", "train: --resize applies to the Fashion-MNIST image models, not to the language model char-lm")]
    [InlineData("--augment", null, "train: --augment applies to the Fashion-MNIST image models, not to the language model char-lm")]
    public void BadLanguageModelOptionsAreRefusedBeforeAnythingIsWritten(string option, string? value, string message)
    {
        using var temp = new TempFolder();
        string outFolder = Path.Combine(temp.Path, "run");
        string[] args = value is null ? ["train", "char-lm", "--out", outFolder, option] : ["train", "char-lm", "--out", outFolder, option, value];
        var r = Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Err);
        Assert.False(Directory.Exists(outFolder));
    }

    [Theory]
    [InlineData("--cell", "lstm")]
    [InlineData("--num-steps", "35")]
    [InlineData("--sampling", "random")]
    public void ImageModelsRefuseTextOptions(string option, string value)
    {
        var r = Run("train", "lenet", "--data", Sample, option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"train: {option} applies to the language models (char-lm, word-lm, gpt), not to the image model lenet", r.Err);
    }

    [Fact]
    public void MissingEmptyOrTooShortTextIsNamed()
    {
        using var temp = new TempFolder();
        string outFolder = Path.Combine(temp.Path, "run");
        string missing = Path.Combine(temp.Path, "nope.txt");
        var r = Run(Tiny(missing, outFolder));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"train: --data '{missing}' does not exist; char-lm takes 'timemachine' (the shipped book) or the path of a UTF-8 text file", r.Err);

        r = Run(Tiny(WriteText(temp, "", "empty.txt"), outFolder));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("holds no text (the file is empty or only whitespace)", r.Err);

        r = Run(Tiny(WriteText(temp, "just a few words", "short.txt"), outFolder));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("train: the training text of char-lm has 16 tokens, too few for one batch of --batch-size 4 × --num-steps 8 (it needs at least 40)", r.Err);
        Assert.False(Directory.Exists(outFolder));

        r = Run("train", "word-lm", "--data", Path.Combine(temp.Path, "no-ptb"), "--out", outFolder);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("is not a folder; word-lm takes 'ptb' (the shipped Penn Treebank) or a folder with ptb.train.txt", r.Err);
    }

    [Fact]
    public void GenerateRefusesUnknownCharactersMissingFilesAndImageCheckpoints()
    {
        using var temp = new TempFolder();
        string outFolder = Path.Combine(temp.Path, "run");
        Assert.Equal(0, Run(Tiny(WriteText(temp, Text), outFolder, "--epochs", "1")).ExitCode);
        string checkpoint = Path.Combine(outFolder, "char-lm.safetensors");

        var r = Run("generate", checkpoint, "--prefix", "The Time!");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("generate: the prefix has 2 character(s) the model's vocabulary does not know: 'T', '!'", r.Err);

        r = Run("generate", checkpoint);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("generate: --prefix is required", r.Err);

        r = Run("generate", checkpoint, "--prefix", "the", "--strategy", "beam");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--strategy: unknown strategy 'beam'; the strategies are greedy, sample, topk", r.Err);

        r = Run("generate", checkpoint, "--prefix", "the", "--strategy", "topk", "--top-k", "500");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("top-k needs 1 ≤ k ≤", r.Err);

        r = Run("generate", Path.Combine(temp.Path, "none.safetensors"), "--prefix", "the");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("generate: the checkpoint", r.Err);
        Assert.Contains("does not exist", r.Err);

        File.Delete(Path.Combine(outFolder, "char-lm.vocab.json"));
        r = Run("generate", checkpoint, "--prefix", "the");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("char-lm.vocab.json' named by the sidecar is missing", r.Err);

        // A sidecar of an image run is recognised and pointed to `nabla eval`.
        File.WriteAllText(Path.Combine(outFolder, "char-lm.json"), "{\"format\": \"nabla-train/1\", \"model\": \"lenet\", \"input_size\": 28}");
        r = Run("generate", checkpoint, "--prefix", "the");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("describes an image model trained by `nabla train` (format nabla-train/1)", r.Err);
    }

    [Fact]
    public void HelpListsTheLanguageModelOptionsAndGenerate()
    {
        var r = Run("train", "--help");
        Assert.True(r.ExitCode == 0, r.ToString());
        foreach (var option in new[] { "--cell", "--hidden", "--layers", "--embed", "--dropout", "--num-steps", "--sampling", "--clip", "char-lm", "word-lm" })
            Assert.Contains(option, r.Out);
        var g = Run("generate", "--help");
        Assert.True(g.ExitCode == 0, g.ToString());
        foreach (var option in new[] { "--prefix", "--length", "--strategy", "--temperature", "--top-k", "--seed", "--json" })
            Assert.Contains(option, g.Out);
        Assert.Contains("generate", Run("--help").Out);
    }
}
