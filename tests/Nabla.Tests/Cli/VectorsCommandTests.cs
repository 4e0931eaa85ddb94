using System.Text.Json;
using Nabla.Tests.Support;
using Nabla.Text;
using static Nabla.Tests.Cli.CliHarness;

namespace Nabla.Tests.Cli;

/// <summary>
/// `nabla vectors`: a small real run per method on the shipped Time Machine or a file, the vectors, sidecar and plot
/// it writes (the vectors load back), the notes' default queries skipped with a note when the corpus lacks them, and
/// bad input refused before anything is written.
/// </summary>
public class VectorsCommandTests
{
    [Theory]
    [InlineData("glove")]
    [InlineData("word2vec")]
    [InlineData("fasttext")]
    public void ASmallRunWritesVectorsThatLoadBackWithItsSidecarAndPlot(string method)
    {
        using var temp = new TempFolder();
        string outFolder = temp.File("run");
        var r = Run("vectors", method, "--corpus", "timemachine", "--limit", "400", "--dim", "8", "--epochs", "2", "--min-count", "3",
            "--query", "time,traveller,zzz", "--analogy", "time:traveller:machine", "--top", "4", "--out", outFolder, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var j = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal(File.ReadAllText(Path.Combine(outFolder, "vectors.json")), r.Out.TrimEnd('\n'));
        Assert.Equal(method, j.GetProperty("method").GetString());
        Assert.Equal("timemachine", j.GetProperty("corpus").GetString());
        Assert.Equal(400, j.GetProperty("sentences").GetInt32());
        Assert.Equal(2, j.GetProperty("epoch_losses").GetArrayLength());
        Assert.All(j.GetProperty("epoch_losses").EnumerateArray(), l => Assert.True(l.GetDouble() > 0));

        var vectors = WordVectors.LoadText(Path.Combine(outFolder, "vectors.txt"));
        Assert.Equal(8, vectors.Dim);
        Assert.Equal(j.GetProperty("words").GetInt32(), vectors.Words.Count);
        // The printed neighbours are those of the saved vectors.
        var printed = j.GetProperty("nearest").GetProperty("time").EnumerateArray().Select(n => n.GetProperty("word").GetString()).ToArray();
        Assert.Equal(vectors.Nearest("time", 4).Select(n => n.Word), printed);
        Assert.False(j.GetProperty("nearest").TryGetProperty("zzz", out _));
        Assert.Contains("note: no vector for zzz", r.Err);
        var analogy = j.GetProperty("analogies")[0];
        Assert.Equal(vectors.Analogy("time", "traveller", "machine")[0].Word, analogy.GetProperty("answer").GetString());
        Assert.Equal((900, 500), PngSize(Path.Combine(outFolder, "loss.png")));
    }

    [Fact]
    public void AFileCorpusIsLowercasedAndTheTablesArePrinted()
    {
        using var temp = new TempFolder();
        string corpus = temp.File("corpus.txt");
        File.WriteAllLines(corpus, Enumerable.Range(0, 60).Select(i => i % 2 == 0 ? "The Cat sat on the mat." : "The Dog sat on the rug!"));
        var r = Run("vectors", "word2vec", "--corpus", corpus, "--dim", "6", "--min-count", "1", "--query", "cat", "--analogy", "cat:dog:mat", "--out", temp.File("run"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("training word2vec on", r.Err);
        Assert.Contains("60 sentences, 420 tokens", r.Err);   // "the cat sat on the mat ." is 7 tokens
        Assert.Contains("cat : dog :: mat :", r.Out);
        Assert.Contains("word2vec skip-gram (dim 6, window 5, 5 negatives, 5 epochs, min count 1)", r.Out);
        Assert.True(WordVectors.LoadText(temp.File("run/vectors.txt")).Contains("cat"));
        // Subsampling this tiny corpus (every word is frequent) leaves some epochs without a single pair: their loss
        // is NaN, written as null (JSON has no NaN), and the run still succeeds.
        var losses = JsonDocument.Parse(File.ReadAllText(temp.File("run/vectors.json"))).RootElement.GetProperty("epoch_losses").EnumerateArray().ToList();
        Assert.Equal(5, losses.Count);
        Assert.All(losses, l => Assert.True(l.ValueKind == JsonValueKind.Null || l.GetDouble() > 0));
    }

    [Theory]
    [InlineData(new[] { "vectors", "bert" }, "vectors: unknown method 'bert'; the methods are word2vec, glove, fasttext.")]
    [InlineData(new[] { "vectors", "glove", "--dim", "0" }, "--dim must be at least 1, got 0.")]
    [InlineData(new[] { "vectors", "glove", "--epochs", "0" }, "--epochs must be at least 1, got 0.")]
    [InlineData(new[] { "vectors", "glove", "--analogy", "man:woman" }, "--analogy: 'man:woman' is not a comma-separated list of a:b:c triples")]
    [InlineData(new[] { "vectors", "glove", "--query", " , " }, "--query: give at least one word.")]
    [InlineData(new[] { "vectors", "glove", "--x-max", "0" }, "--x-max must be a finite number greater than 0, got 0.")]
    [InlineData(new[] { "vectors", "word2vec", "--x-max", "10" }, "--x-max applies to glove, not to word2vec.")]
    [InlineData(new[] { "vectors", "glove", "--corpus", "/no/such/file.txt" }, "vectors: --corpus '/no/such/file.txt' does not exist")]
    public void BadInputIsRefusedWithItsReason(string[] args, string message)
    {
        using var temp = new TempFolder();
        var r = Run([.. args, "--out", temp.File("run")]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(message, r.Err);
        Assert.False(Directory.Exists(temp.File("run")));
    }

    [Fact]
    public void QueriesWithoutAnyVectorAreAnErrorBeforeAnythingIsWritten()
    {
        using var temp = new TempFolder();
        var r = Run("vectors", "glove", "--corpus", "timemachine", "--limit", "200", "--dim", "4", "--epochs", "1", "--query", "zebra,quokka", "--out", temp.File("run"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("vectors: none of the --query words (zebra,quokka) has a vector", r.Err);
        Assert.False(Directory.Exists(temp.File("run")));
    }
}
