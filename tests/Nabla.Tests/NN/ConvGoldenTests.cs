using System.Text.Json;
using Nabla.NN;
using Nabla.Tests.Support;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.NN;

/// <summary>
/// Convolution, transposed convolution and pooling against PyTorch (fixture: tools/golden/conv.py): every case
/// through Functional, and where a layer exists through the layer with the fixture's parameters loaded
/// (gradients of input, weight and bias), plus the layers' reprs.
/// </summary>
public class ConvGoldenTests
{
    const string Fixture = "conv";
    const DType F64 = DType.Float64;


    static readonly Dictionary<string, Func<Tensor[], Tensor>> Functional = new()
    {
        ["conv2d_basic"] = x => F.Conv2d(x[0], x[1], x[2], padding: 1),
        ["conv2d_stride2_pad3"] = x => F.Conv2d(x[0], x[1], x[2], stride: 2, padding: 3),
        ["conv2d_dilation2"] = x => F.Conv2d(x[0], x[1], x[2], padding: 1, dilation: 2),
        ["conv2d_groups2"] = x => F.Conv2d(x[0], x[1], x[2], padding: 1, groups: 2),
        ["conv2d_depthwise"] = x => F.Conv2d(x[0], x[1], x[2], stride: 2, padding: 1, groups: 3),
        ["conv2d_batch1_nonsquare"] = x => F.Conv2d(x[0], x[1], null, stride: (2, 1), padding: (1, 2)),
        ["conv2d_same_even_kernel"] = x => F.Conv2d(x[0], x[1], x[2], padding: "same"),
        ["conv2d_same_dilated"] = x => F.Conv2d(x[0], x[1], x[2], padding: ConvPadding.Same, dilation: 2),
        ["conv2d_valid"] = x => F.Conv2d(x[0], x[1], x[2], padding: "valid"),
        ["conv2d_1x1"] = x => F.Conv2d(x[0], x[1], x[2]),
        ["conv2d_1x1_groups"] = x => F.Conv2d(x[0], x[1], x[2], groups: 2),
        ["conv2d_1x1_stride2"] = x => F.Conv2d(x[0], x[1], x[2], stride: 2),
        ["conv2d_float64"] = x => F.Conv2d(x[0], x[1], x[2], stride: 2, padding: 1, groups: 2),
        ["conv2d_unbatched"] = x => F.Conv2d(x[0], x[1], x[2], padding: 1),
        ["conv2d_noncontiguous"] = x => F.Conv2d(x[0].Permute(0, 3, 1, 2), x[1], x[2], padding: 1),
        ["conv2d_parallel_batch"] = x => F.Conv2d(x[0], x[1], x[2], padding: 1),
        ["conv2d_parallel_1x1"] = x => F.Conv2d(x[0], x[1], x[2]),
        ["conv1d_basic"] = x => F.Conv1d(x[0], x[1], x[2], stride: 2, padding: 1),
        ["conv1d_same_dilation_groups"] = x => F.Conv1d(x[0], x[1], x[2], padding: "same", dilation: 2, groups: 2),
        ["conv1d_unbatched"] = x => F.Conv1d(x[0], x[1], x[2]),
        ["convt2d_basic"] = x => F.ConvTranspose2d(x[0], x[1], x[2]),
        ["convt2d_stride2_outpad1_groups2"] = x => F.ConvTranspose2d(x[0], x[1], x[2], stride: 2, padding: 1, outputPadding: 1, groups: 2),
        ["convt2d_dilation_nonsquare"] = x => F.ConvTranspose2d(x[0], x[1], null, stride: (1, 2), padding: (0, 1), dilation: (2, 1)),
        ["convt2d_outpad_ge_stride"] = x => F.ConvTranspose2d(x[0], x[1], x[2], outputPadding: 1, dilation: 2),
        ["convt2d_float64"] = x => F.ConvTranspose2d(x[0], x[1], x[2], stride: 2, outputPadding: 1),
        ["convt2d_parallel"] = x => F.ConvTranspose2d(x[0], x[1], x[2], stride: 2, padding: 1, outputPadding: 1),
        ["convt1d"] = x => F.ConvTranspose1d(x[0], x[1], x[2], stride: 2, padding: 1, outputPadding: 1),
        ["maxpool2d_basic"] = x => F.MaxPool2d(x[0], 2),
        ["maxpool2d_overlap_pad"] = x => F.MaxPool2d(x[0], 3, 2, 1),
        ["maxpool2d_dilation_nonsquare"] = x => F.MaxPool2d(x[0], (2, 3), 1, (1, 1), 2),
        ["maxpool2d_ceil"] = x => F.MaxPool2d(x[0], 3, 2, ceilMode: true),
        ["maxpool2d_ceil_pad_drops_last"] = x => F.MaxPool2d(x[0], 2, 2, 1, ceilMode: true),
        ["maxpool2d_indices"] = x => F.MaxPool2dWithIndices(x[0], 3, 2, 1).Indices,
        ["maxpool2d_float64"] = x => F.MaxPool2d(x[0], 2, 1),
        ["maxpool2d_unbatched"] = x => F.MaxPool2d(x[0], 2),
        ["maxpool1d"] = x => F.MaxPool1d(x[0], 3, 2, 1),
        ["maxpool1d_ceil_dilation"] = x => F.MaxPool1d(x[0], 2, 2, 0, 2, ceilMode: true),
        ["maxpool1d_indices"] = x => F.MaxPool1dWithIndices(x[0], 3, 2, 1).Indices,
        ["avgpool2d_basic"] = x => F.AvgPool2d(x[0], 2),
        ["avgpool2d_pad_include"] = x => F.AvgPool2d(x[0], 3, 2, 1),
        ["avgpool2d_pad_exclude"] = x => F.AvgPool2d(x[0], 3, 2, 1, countIncludePad: false),
        ["avgpool2d_ceil"] = x => F.AvgPool2d(x[0], 3, 2, ceilMode: true),
        ["avgpool2d_ceil_pad_include"] = x => F.AvgPool2d(x[0], 3, 2, 1, ceilMode: true),
        ["avgpool2d_ceil_pad_exclude"] = x => F.AvgPool2d(x[0], 3, 2, 1, ceilMode: true, countIncludePad: false),
        ["avgpool2d_nonsquare"] = x => F.AvgPool2d(x[0], (2, 3), (1, 2)),
        ["avgpool2d_float64_unbatched"] = x => F.AvgPool2d(x[0], 2, 1, 1),
        ["avgpool1d"] = x => F.AvgPool1d(x[0], 3, 2, 1),
        ["avgpool1d_ceil_exclude"] = x => F.AvgPool1d(x[0], 4, 3, 2, ceilMode: true, countIncludePad: false),
        ["adaptive_avg2d_nondivisible"] = x => F.AdaptiveAvgPool2d(x[0], (3, 2)),
        ["adaptive_avg2d_upsample"] = x => F.AdaptiveAvgPool2d(x[0], (5, 4)),
        ["adaptive_avg2d_float64"] = x => F.AdaptiveAvgPool2d(x[0], 3),
        ["adaptive_avg1d"] = x => F.AdaptiveAvgPool1d(x[0], 4),
        ["adaptive_max2d_nondivisible"] = x => F.AdaptiveMaxPool2d(x[0], (3, 4)),
        ["adaptive_max2d_indices"] = x => F.AdaptiveMaxPool2dWithIndices(x[0], (3, 4)).Indices,
        ["adaptive_max2d_unbatched"] = x => F.AdaptiveMaxPool2d(x[0], 2),
        ["adaptive_max1d"] = x => F.AdaptiveMaxPool1d(x[0], 3),
        ["global_avg"] = x => F.GlobalAvgPool2d(x[0]),
        ["global_avg_keepdim"] = x => F.GlobalAvgPool2d(x[0], keepDim: true),
        ["global_max"] = x => F.GlobalMaxPool2d(x[0]),
        ["global_max_keepdim"] = x => F.GlobalMaxPool2d(x[0], keepDim: true),
    };

    /// <summary>The layer twin of a case (null: functional only). The argument is the case's dtype.</summary>
    static readonly Dictionary<string, Func<DType, Module>> Layers = new()
    {
        ["conv2d_basic"] = d => new Conv2d(3, 4, 3, padding: 1, dtype: d),
        ["conv2d_stride2_pad3"] = d => new Conv2d(3, 5, 3, stride: 2, padding: 3, dtype: d),
        ["conv2d_dilation2"] = d => new Conv2d(2, 3, 3, padding: 1, dilation: 2, dtype: d),
        ["conv2d_groups2"] = d => new Conv2d(4, 6, 3, padding: 1, groups: 2, dtype: d),
        ["conv2d_depthwise"] = d => new Conv2d(3, 3, 3, stride: 2, padding: 1, groups: 3, dtype: d),
        ["conv2d_batch1_nonsquare"] = d => new Conv2d(2, 3, (2, 4), stride: (2, 1), padding: (1, 2), bias: false, dtype: d),
        ["conv2d_same_even_kernel"] = d => new Conv2d(2, 3, (4, 2), padding: "same", dtype: d),
        ["conv2d_same_dilated"] = d => new Conv2d(2, 2, 3, padding: "same", dilation: 2, dtype: d),
        ["conv2d_valid"] = d => new Conv2d(2, 3, (3, 2), padding: "valid", dtype: d),
        ["conv2d_1x1"] = d => new Conv2d(4, 6, 1, dtype: d),
        ["conv2d_1x1_groups"] = d => new Conv2d(4, 6, 1, groups: 2, dtype: d),
        ["conv2d_1x1_stride2"] = d => new Conv2d(3, 2, 1, stride: 2, dtype: d),
        ["conv2d_float64"] = d => new Conv2d(4, 4, 3, stride: 2, padding: 1, groups: 2, dtype: d),
        ["conv2d_unbatched"] = d => new Conv2d(3, 2, 3, padding: 1, dtype: d),
        ["conv2d_parallel_batch"] = d => new Conv2d(4, 8, 3, padding: 1, dtype: d),
        ["conv2d_parallel_1x1"] = d => new Conv2d(16, 16, 1, dtype: d),
        ["conv1d_basic"] = d => new Conv1d(3, 4, 3, stride: 2, padding: 1, dtype: d),
        ["conv1d_same_dilation_groups"] = d => new Conv1d(4, 4, 4, padding: "same", dilation: 2, groups: 2, dtype: d),
        ["conv1d_unbatched"] = d => new Conv1d(3, 2, 3, dtype: d),
        ["convt2d_basic"] = d => new ConvTranspose2d(3, 4, 3, dtype: d),
        ["convt2d_stride2_outpad1_groups2"] = d => new ConvTranspose2d(4, 6, 3, stride: 2, padding: 1, outputPadding: 1, groups: 2, dtype: d),
        ["convt2d_dilation_nonsquare"] = d => new ConvTranspose2d(2, 3, (2, 3), stride: (1, 2), padding: (0, 1), dilation: (2, 1), bias: false, dtype: d),
        ["convt2d_outpad_ge_stride"] = d => new ConvTranspose2d(2, 2, 3, outputPadding: 1, dilation: 2, dtype: d),
        ["convt2d_float64"] = d => new ConvTranspose2d(2, 3, 2, stride: 2, outputPadding: 1, dtype: d),
        ["convt2d_parallel"] = d => new ConvTranspose2d(8, 8, 3, stride: 2, padding: 1, outputPadding: 1, dtype: d),
        ["convt1d"] = d => new ConvTranspose1d(3, 2, 4, stride: 2, padding: 1, outputPadding: 1, dtype: d),
        ["maxpool2d_basic"] = _ => new MaxPool2d(2),
        ["maxpool2d_overlap_pad"] = _ => new MaxPool2d(3, 2, 1),
        ["maxpool2d_dilation_nonsquare"] = _ => new MaxPool2d((2, 3), 1, (1, 1), 2),
        ["maxpool2d_ceil"] = _ => new MaxPool2d(3, 2, ceilMode: true),
        ["maxpool2d_ceil_pad_drops_last"] = _ => new MaxPool2d(2, 2, 1, ceilMode: true),
        ["maxpool2d_float64"] = _ => new MaxPool2d(2, 1),
        ["maxpool2d_unbatched"] = _ => new MaxPool2d(2),
        ["maxpool1d"] = _ => new MaxPool1d(3, 2, 1),
        ["maxpool1d_ceil_dilation"] = _ => new MaxPool1d(2, 2, 0, 2, ceilMode: true),
        ["avgpool2d_basic"] = _ => new AvgPool2d(2),
        ["avgpool2d_pad_include"] = _ => new AvgPool2d(3, 2, 1),
        ["avgpool2d_pad_exclude"] = _ => new AvgPool2d(3, 2, 1, countIncludePad: false),
        ["avgpool2d_ceil"] = _ => new AvgPool2d(3, 2, ceilMode: true),
        ["avgpool2d_ceil_pad_include"] = _ => new AvgPool2d(3, 2, 1, ceilMode: true),
        ["avgpool2d_ceil_pad_exclude"] = _ => new AvgPool2d(3, 2, 1, ceilMode: true, countIncludePad: false),
        ["avgpool2d_nonsquare"] = _ => new AvgPool2d((2, 3), (1, 2)),
        ["avgpool2d_float64_unbatched"] = _ => new AvgPool2d(2, 1, 1),
        ["avgpool1d"] = _ => new AvgPool1d(3, 2, 1),
        ["avgpool1d_ceil_exclude"] = _ => new AvgPool1d(4, 3, 2, ceilMode: true, countIncludePad: false),
        ["adaptive_avg2d_nondivisible"] = _ => new AdaptiveAvgPool2d((3, 2)),
        ["adaptive_avg2d_upsample"] = _ => new AdaptiveAvgPool2d((5, 4)),
        ["adaptive_avg2d_float64"] = _ => new AdaptiveAvgPool2d(3),
        ["adaptive_avg1d"] = _ => new AdaptiveAvgPool1d(4),
        ["adaptive_max2d_nondivisible"] = _ => new AdaptiveMaxPool2d((3, 4)),
        ["adaptive_max2d_unbatched"] = _ => new AdaptiveMaxPool2d(2),
        ["adaptive_max1d"] = _ => new AdaptiveMaxPool1d(3),
        ["global_avg"] = _ => new GlobalAvgPool2d(),
        ["global_avg_keepdim"] = _ => new GlobalAvgPool2d(keepDim: true),
        ["global_max"] = _ => new GlobalMaxPool2d(),
        ["global_max_keepdim"] = _ => new GlobalMaxPool2d(keepDim: true),
    };

    static readonly Dictionary<string, Func<Module>> Structures = new()
    {
        ["conv2d_lenet"] = () => new Conv2d(1, 6, 5, padding: 2),
        ["conv2d_full"] = () => new Conv2d(4, 6, (3, 2), stride: 2, padding: 3, dilation: 2, groups: 2, bias: false),
        ["conv2d_same"] = () => new Conv2d(2, 2, 4, padding: "same"),
        ["conv2d_valid"] = () => new Conv2d(2, 2, 4, padding: "valid"),
        ["conv2d_pair_padding"] = () => new Conv2d(3, 8, 3, stride: (2, 1), padding: (1, 0)),
        ["conv1d"] = () => new Conv1d(3, 4, 5),
        ["conv1d_same"] = () => new Conv1d(3, 4, 5, padding: "same", dilation: 2),
        ["conv1d_padding"] = () => new Conv1d(3, 4, 5, stride: 2, padding: 2, groups: 1, bias: false),
        ["convt2d"] = () => new ConvTranspose2d(4, 6, 3, stride: 2, outputPadding: 1, groups: 2),
        ["convt2d_plain"] = () => new ConvTranspose2d(4, 6, 3),
        ["convt2d_full"] = () => new ConvTranspose2d(2, 4, (2, 3), stride: (1, 2), padding: (0, 1), dilation: (2, 1), bias: false),
        ["convt1d"] = () => new ConvTranspose1d(3, 2, 4, stride: 2, padding: 1, outputPadding: 1),
        ["maxpool2d"] = () => new MaxPool2d(2),
        ["maxpool2d_full"] = () => new MaxPool2d((2, 3), stride: 1, padding: 1, dilation: 2, ceilMode: true),
        ["maxpool1d"] = () => new MaxPool1d(3, 2, 1),
        ["avgpool2d"] = () => new AvgPool2d(2),
        ["avgpool2d_full"] = () => new AvgPool2d((2, 3), 1, 1, ceilMode: true, countIncludePad: false),
        ["avgpool1d"] = () => new AvgPool1d(3, 2, 1),
        ["adaptive_avg2d"] = () => new AdaptiveAvgPool2d(5),
        ["adaptive_avg2d_pair"] = () => new AdaptiveAvgPool2d((5, 7)),
        ["adaptive_max2d"] = () => new AdaptiveMaxPool2d(3),
        ["adaptive_avg1d"] = () => new AdaptiveAvgPool1d(4),
        ["adaptive_max1d"] = () => new AdaptiveMaxPool1d(4),
    };

    public static IEnumerable<object[]> Cases => GoldenFixture.Names(Fixture);

    public static IEnumerable<object[]> LayerCases => Layers.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Cases))]
    public void FunctionalMatchesPyTorch(string name) => GoldenRunner.Check(GoldenFixture.Get(Fixture, name), Functional[name]);

    [Theory]
    [MemberData(nameof(LayerCases))]
    public void LayerMatchesPyTorch(string name)
    {
        var c = GoldenFixture.Get(Fixture, name);
        ConvLayerGoldenRunner.Check(c, Layers[name](c.Inputs[0].DType));
    }

    [Fact]
    public void NonContiguousInputThroughTheLayer()
    {
        var c = GoldenFixture.Get(Fixture, "conv2d_noncontiguous");
        ConvLayerGoldenRunner.Check(c, new Conv2d(3, 4, 3, padding: 1), x => x.Permute(0, 3, 1, 2));
    }

    [Fact]
    public void EveryCaseHasATwin() => GoldenRunner.CheckCoverage(Fixture, Functional.Keys);

    static readonly Lazy<Dictionary<string, string>> Reprs = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Golden", "conv.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("structures").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("repr").GetString()!);
    });

    public static IEnumerable<object[]> StructureNames => Structures.Keys.Select(k => new object[] { k });

    [Fact]
    public void EveryStructureHasATwin() => Assert.Equal(Reprs.Value.Keys.Order(), Structures.Keys.Order());

    [Theory]
    [MemberData(nameof(StructureNames))]
    public void ReprMatchesPyTorch(string name) => Assert.Equal(Reprs.Value[name], Structures[name]().ToString());
}
