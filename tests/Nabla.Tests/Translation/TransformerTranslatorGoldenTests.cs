using System.Text.Json;
using Nabla.Models.Translation;
using Nabla.Tests.Support;

namespace Nabla.Tests.Translation;

/// <summary>
/// TransformerTranslator against its PyTorch mirror (tools/golden/transformer_translator.py, float64, post- and
/// pre-norm): state-dict keys, shapes and parameter count; on a padded batch the teacher-forced logits, the masked
/// loss, the logits' gradient and every parameter gradient to 1e-5; greedy decoding of each sentence.
/// </summary>
public class TransformerTranslatorGoldenTests
{
    static readonly Lazy<JsonDocument> Doc = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "transformer_translator.json"))));

    public static IEnumerable<object[]> Cases => Doc.Value.RootElement.GetProperty("cases").EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    static JsonElement Case(string name) => Doc.Value.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    static Tensor T(JsonElement c, string key) => GoldenFixture.ReadTensor(c.GetProperty(key));

    static TransformerTranslator Build(JsonElement c)
    {
        var g = c.GetProperty("config");
        int I(string key) => g.GetProperty(key).GetInt32();
        return new TransformerTranslator(I("src_vocab"), I("tgt_vocab"), I("d"), I("heads"), I("enc_layers"), I("dec_layers"), I("ffn"), dropout: 0,
            normFirst: g.GetProperty("norm_first").GetBoolean(), maxLength: 16, dtype: DType.Float64);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StateDictAndParameterCountMatchPyTorch(string name)
    {
        var expected = Doc.Value.RootElement.GetProperty("models").GetProperty(name);
        var model = Build(Case(name));
        TranslationGolden.AssertDescribes(expected, model, anyOrder: true);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LogitsLossAndGradientsMatchPyTorch(string name)
    {
        var c = Case(name);
        var model = Build(c);
        model.LoadStateDict(c.GetProperty("state").EnumerateObject().ToDictionary(p => p.Name, p => GoldenFixture.ReadTensor(p.Value)));
        TranslationGolden.AssertTeacherForcedBatch(c, model);

        model.Eval();
        var source = T(c, "source");
        var lengths = TensorAssert.Flat(T(c, "source_lengths"));
        foreach (var g in Doc.Value.RootElement.GetProperty("greedy").EnumerateArray().Where(g => g.GetProperty("case").GetString() == name))
        {
            int row = g.GetProperty("row").GetInt32(), n = (int)lengths[row];
            var options = new SearchOptions(c.GetProperty("bos").GetInt32(), c.GetProperty("eos").GetInt32(), g.GetProperty("max_len").GetInt32());
            var h = model.Greedy(source.Narrow(0, row, 1).Narrow(1, 0, n).Contiguous(), null, options)[0];
            Assert.Equal(g.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()), h.Tokens);
            Assert.Equal(g.GetProperty("ended").GetBoolean(), h.Ended);
            Assert.Equal(g.GetProperty("logprob").GetDouble(), h.LogProb, 6);
        }
    }
}
