using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN;

/// <summary>
/// Every loss and reduction against PyTorch 1.13 (fixture: tools/golden/losses.py): forward values and the
/// gradients of the input and, where PyTorch gives one, the target. Weights, pos_weight and masks are constants.
/// </summary>
public class LossGoldenTests
{
    const string Fixture = "losses";
    static readonly string[] ReductionNames = ["none", "mean", "sum"];

    static Reduction R(string name) => name switch
    {
        "none" => Reduction.None,
        "mean" => Reduction.Mean,
        "sum" => Reduction.Sum,
        _ => Reduction.BatchMean,
    };

    static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = Build();

    static Dictionary<string, Func<Tensor[], Tensor>> Build()
    {
        var ops = new Dictionary<string, Func<Tensor[], Tensor>>();
        foreach (var name in ReductionNames)
        {
            var r = R(name);
            ops[$"mse_{name}"] = x => Functional.MseLoss(x[0], x[1], r);
            ops[$"l1_{name}"] = x => Functional.L1Loss(x[0], x[1], r);
            ops[$"smooth_l1_{name}"] = x => Functional.SmoothL1Loss(x[0], x[1], r);
            ops[$"huber_{name}"] = x => Functional.HuberLoss(x[0], x[1], r);
            ops[$"ce_{name}"] = x => Functional.CrossEntropy(x[0], x[1], reduction: r);
            ops[$"ce_weight_{name}"] = x => Functional.CrossEntropy(x[0], x[1], weight: x[2], reduction: r);
            ops[$"ce_ignore_{name}"] = x => Functional.CrossEntropy(x[0], x[1], reduction: r);
            ops[$"ce_smoothing_{name}"] = x => Functional.CrossEntropy(x[0], x[1], reduction: r, labelSmoothing: 0.1);
            ops[$"ce_all_options_{name}"] = x => Functional.CrossEntropy(x[0], x[1], x[2], reduction: r, labelSmoothing: 0.2);
            ops[$"ce_spatial_{name}"] = x => Functional.CrossEntropy(x[0], x[1], x[2], ignoreIndex: 1, reduction: r, labelSmoothing: 0.05);
            ops[$"ce_prob_{name}"] = x => Functional.CrossEntropy(x[0], x[1], reduction: r);
            ops[$"nll_{name}"] = x => Functional.NllLoss(x[0], x[1], reduction: r);
            ops[$"nll_weight_ignore_{name}"] = x => Functional.NllLoss(x[0], x[1], x[2], reduction: r);
            ops[$"bce_{name}"] = x => Functional.BinaryCrossEntropy(x[0], x[1], reduction: r);
            ops[$"bce_weight_{name}"] = x => Functional.BinaryCrossEntropy(x[0], x[1], x[2], r);
            ops[$"bcel_{name}"] = x => Functional.BinaryCrossEntropyWithLogits(x[0], x[1], reduction: r);
            ops[$"bcel_weight_pos_weight_{name}"] = x => Functional.BinaryCrossEntropyWithLogits(x[0], x[1], x[2], x[3], r);
            ops[$"bcel_mask_{name}"] = x => Functional.BinaryCrossEntropyWithLogits(x[0], x[1], reduction: r, mask: x[2]);
            ops[$"kl_{name}"] = x => Functional.KlDiv(x[0], x[1], r);
            ops[$"hinge_embedding_{name}"] = x => Functional.HingeEmbeddingLoss(x[0], x[1], r);
            ops[$"multi_margin_{name}"] = x => Functional.MultiMarginLoss(x[0], x[1], reduction: r);
        }
        ops["mse_half_mean"] = x => Functional.MseLoss(x[0], x[1], half: true);
        ops["mse_noncontiguous"] = x => Functional.MseLoss(x[0].T(), x[1]);
        ops["smooth_l1_beta_half"] = x => Functional.SmoothL1Loss(x[0], x[1], beta: 0.5);
        ops["smooth_l1_beta_zero"] = x => Functional.SmoothL1Loss(x[0], x[1], Reduction.Sum, beta: 0.0);
        ops["huber_delta_2"] = x => Functional.HuberLoss(x[0], x[1], Reduction.Sum, delta: 2.0);
        ops["mse_float64"] = x => Functional.MseLoss(x[0], x[1]);
        ops["smooth_l1_float64"] = x => Functional.SmoothL1Loss(x[0], x[1], beta: 0.7);
        ops["huber_float64"] = x => Functional.HuberLoss(x[0], x[1], Reduction.None, delta: 0.8);

        ops["ce_ignore_custom_index"] = x => Functional.CrossEntropy(x[0], x[1], x[2], ignoreIndex: 2);
        ops["ce_unbatched"] = x => Functional.CrossEntropy(x[0], x[1], labelSmoothing: 0.1);
        ops["ce_noncontiguous"] = x => Functional.CrossEntropy(x[0].T(), x[1]);
        ops["ce_large_logits"] = x => Functional.CrossEntropy(x[0], x[1], reduction: Reduction.None, labelSmoothing: 0.1);
        ops["ce_float64"] = x => Functional.CrossEntropy(x[0], x[1], x[2], reduction: Reduction.Sum, labelSmoothing: 0.15);
        ops["ce_prob_weight_smoothing"] = x => Functional.CrossEntropy(x[0], x[1], x[2], labelSmoothing: 0.1);
        ops["ce_prob_spatial"] = x => Functional.CrossEntropy(x[0], x[1]);
        ops["ce_prob_unbatched"] = x => Functional.CrossEntropy(x[0], x[1]);
        ops["ce_prob_large_logits"] = x => Functional.CrossEntropy(x[0], x[1], reduction: Reduction.Sum);
        ops["ce_prob_float64"] = x => Functional.CrossEntropy(x[0], x[1], labelSmoothing: 0.3);

        ops["nll_spatial"] = x => Functional.NllLoss(x[0], x[1], x[2], ignoreIndex: 0);
        ops["nll_unbatched"] = x => Functional.NllLoss(x[0], x[1]);
        ops["nll_float64"] = x => Functional.NllLoss(x[0], x[1], reduction: Reduction.Sum);

        ops["bce_saturated"] = x => Functional.BinaryCrossEntropy(x[0], x[1], reduction: Reduction.None);
        ops["bce_float64"] = x => Functional.BinaryCrossEntropy(x[0], x[1], reduction: Reduction.Sum);

        ops["bcel_mask_broadcast_pos_weight"] = x => Functional.BinaryCrossEntropyWithLogits(x[0], x[1], posWeight: x[3], mask: x[2]);
        ops["bcel_large_logits"] = x => Functional.BinaryCrossEntropyWithLogits(x[0], x[1], reduction: Reduction.None);
        ops["bcel_zero_logits"] = x => Functional.BinaryCrossEntropyWithLogits(x[0], x[1], reduction: Reduction.Sum);
        ops["bcel_float64"] = x => Functional.BinaryCrossEntropyWithLogits(x[0], x[1], posWeight: x[2]);

        ops["kl_batchmean"] = x => Functional.KlDiv(x[0], x[1], Reduction.BatchMean);
        ops["kl_log_target"] = x => Functional.KlDiv(x[0], x[1], Reduction.BatchMean, logTarget: true);
        ops["kl_zero_target"] = x => Functional.KlDiv(x[0], x[1], Reduction.Sum);
        ops["kl_float64"] = x => Functional.KlDiv(x[0], x[1], Reduction.BatchMean);

        ops["hinge_embedding_margin_int_target"] = x => Functional.HingeEmbeddingLoss(x[0], x[1], margin: 2.0);
        ops["multi_margin_p2_weight"] = x => Functional.MultiMarginLoss(x[0], x[1], p: 2, margin: 0.7, weight: x[2], reduction: Reduction.Sum);
        ops["multi_margin_float64"] = x => Functional.MultiMarginLoss(x[0], x[1], margin: 1.5);
        return ops;
    }

    public static IEnumerable<object[]> Cases => GoldenFixture.Names(Fixture);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name) => GoldenRunner.Check(GoldenFixture.Get(Fixture, name), Ops[name]);

    [Fact]
    public void EveryCaseHasATwin() => GoldenRunner.CheckCoverage(Fixture, Ops.Keys);

    /// <summary>The modules are thin wrappers: a few cases replayed through them give the same numbers.</summary>
    [Theory]
    [InlineData("ce_all_options_mean")]
    [InlineData("bcel_weight_pos_weight_sum")]
    [InlineData("bcel_mask_mean")]
    [InlineData("kl_batchmean")]
    [InlineData("multi_margin_p2_weight")]
    [InlineData("smooth_l1_beta_half")]
    public void ModulesMatchPyTorch(string name)
    {
        Func<Tensor[], Tensor> viaModule = name switch
        {
            "ce_all_options_mean" => x => new CrossEntropyLoss(x[2], labelSmoothing: 0.2).Forward(x[0], x[1]),
            "bcel_weight_pos_weight_sum" => x => new BCEWithLogitsLoss(x[2], Reduction.Sum, x[3]).Forward(x[0], x[1]),
            "bcel_mask_mean" => x => new BCEWithLogitsLoss().Forward(x[0], x[1], x[2]),
            "kl_batchmean" => x => new KLDivLoss(Reduction.BatchMean).Forward(x[0], x[1]),
            "multi_margin_p2_weight" => x => new MultiMarginLoss(2, 0.7, x[2], Reduction.Sum).Forward(x[0], x[1]),
            _ => x => new SmoothL1Loss(beta: 0.5).Forward(x[0], x[1]),
        };
        GoldenRunner.Check(GoldenFixture.Get(Fixture, name), viaModule);
    }
}
