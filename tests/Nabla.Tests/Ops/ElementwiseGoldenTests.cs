using Nabla.Tests.Support;

namespace Nabla.Tests.Ops;

/// <summary>The elementwise family against PyTorch 1.13 (fixture: tools/golden/elementwise.py).</summary>
public class ElementwiseGoldenTests
{
    const string Fixture = "elementwise";

    static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        ["pow_scalar_int"] = x => x[0].Pow(3),
        ["pow_square"] = x => x[0].Pow(2),
        ["pow_scalar_fractional"] = x => x[0].Pow(2.5),
        ["pow_scalar_negative"] = x => x[0].Pow(-1.5),
        ["pow_tensor"] = x => x[0].Pow(x[1]),
        ["pow_tensor_broadcast"] = x => x[0].Pow(x[1]),
        ["pow_zero_base"] = x => x[0].Pow(x[1]),
        ["pow_noncontiguous"] = x => x[0].T().Pow(x[1]),
        ["pow_float64"] = x => x[0].Pow(x[1]),
        ["pow_int"] = x => x[0].Pow(3),
        ["pow_int_tensor"] = x => x[0].Pow(x[1]),
        ["pow_int_float_scalar"] = x => x[0].Pow(0.5),
        ["rpow_scalar"] = x => Tensor.Pow(2.0, x[0]),

        ["sqrt"] = x => x[0].Sqrt(),
        ["sqrt_float64"] = x => x[0].Sqrt(),
        ["sqrt_int"] = x => x[0].Sqrt(),
        ["abs"] = x => x[0].Abs(),
        ["abs_noncontiguous"] = x => x[0].T().Abs(),
        ["abs_int"] = x => x[0].Abs(),
        ["sign"] = x => x[0].Sign(),
        ["sign_int"] = x => x[0].Sign(),
        ["sin"] = x => x[0].Sin(),
        ["sin_noncontiguous"] = x => x[0].Permute(1, 0, 2).Sin(),
        ["sin_int"] = x => x[0].Sin(),
        ["cos"] = x => x[0].Cos(),
        ["cos_float64"] = x => x[0].Cos(),
        ["tanh"] = x => x[0].Tanh(),
        ["tanh_float64"] = x => x[0].Tanh(),
        ["tanh_noncontiguous"] = x => x[0].T().Tanh(),
        ["sigmoid"] = x => x[0].Sigmoid(),
        ["sigmoid_float64"] = x => x[0].Sigmoid(),
        ["sigmoid_int"] = x => x[0].Sigmoid(),
        ["relu"] = x => x[0].Relu(),
        ["relu_at_zero"] = x => x[0].Relu(),
        ["relu_noncontiguous"] = x => x[0].Slice(1, 0, int.MaxValue, 2).Relu(),
        ["relu_int"] = x => x[0].Relu(),
        ["tanh_sigmoid_relu_chain"] = x => (x[0].Tanh() * x[0].Sigmoid()).Relu() + x[0].Sin() * x[0].Cos(),

        ["clamp"] = x => x[0].Clamp(-0.5, 0.5),
        ["clamp_min"] = x => x[0].Clamp(min: 0.1),
        ["clamp_max"] = x => x[0].Clamp(max: -0.2),
        ["clamp_at_bounds"] = x => x[0].Clamp(-0.5, 0.5),
        ["clamp_min_above_max"] = x => x[0].Clamp(1.0, -1.0),
        ["clamp_noncontiguous"] = x => x[0].T().Clamp(-0.3, 0.6),
        ["clamp_float64"] = x => x[0].Clamp(-1.0, 0.25),
        ["clamp_int"] = x => x[0].Clamp(-2, 3),
        ["clamp_int_float_bound"] = x => x[0].Clamp(min: 0.5),

        ["maximum"] = x => Tensor.Maximum(x[0], x[1]),
        ["minimum"] = x => Tensor.Minimum(x[0], x[1]),
        ["maximum_broadcast"] = x => x[0].Maximum(x[1]),
        ["minimum_broadcast"] = x => x[0].Minimum(x[1]),
        ["maximum_tie_broadcast"] = x => Tensor.Maximum(x[0], x[1]),
        ["maximum_noncontiguous"] = x => Tensor.Maximum(x[0].T(), x[1]),
        ["minimum_float64"] = x => Tensor.Minimum(x[0], x[1]),
        ["maximum_int"] = x => Tensor.Maximum(x[0], x[1]),
        ["minimum_int_float"] = x => Tensor.Minimum(x[0], x[1]),

        ["eq"] = x => x[0].Eq(x[1]),
        ["eq_scalar"] = x => x[0].Eq(1.0),
        ["ne"] = x => x[0].Ne(x[1]),
        ["ne_scalar"] = x => x[0].Ne(1.0),
        ["lt"] = x => x[0] < x[1],
        ["lt_scalar"] = x => x[0] < 1.0,
        ["le"] = x => x[0] <= x[1],
        ["le_scalar"] = x => x[0].Le(1.0),
        ["gt"] = x => x[0] > x[1],
        ["gt_scalar"] = x => x[0] > 1.0,
        ["ge"] = x => x[0].Ge(x[1]),
        ["ge_scalar"] = x => x[0] >= 1.0,
        ["lt_int"] = x => x[0] < x[1],
        ["ge_int_scalar"] = x => x[0] >= 1,
        ["lt_int_float_scalar"] = x => x[0] < 0.5,
        ["gt_noncontiguous"] = x => x[0].T() > x[1],
        ["le_float64"] = x => x[0] <= x[1],
        ["eq_bool"] = x => x[0].Eq(x[1]),
        ["eq_int_float"] = x => x[0].Eq(x[1]),
        ["rlt_scalar"] = x => 0.25 < x[0],

        ["where"] = x => Tensor.Where(x[0], x[1], x[2]),
        ["where_broadcast"] = x => Tensor.Where(x[0], x[1], x[2]),
        ["where_scalar_other"] = x => Tensor.Where(x[0], x[1], 0.0),
        ["where_scalar_input"] = x => Tensor.Where(x[0], -1.0, x[1]),
        ["where_promotes"] = x => Tensor.Where(x[0], x[1], x[2]),
        ["where_int"] = x => Tensor.Where(x[0], x[1], x[2]),
        ["where_noncontiguous"] = x => Tensor.Where(x[0].T(), x[1].Slice(1, 0, int.MaxValue, 2), x[2]),
        ["where_float64"] = x => Tensor.Where(x[0], x[1], x[2]),
        ["masked_fill"] = x => x[0].MaskedFill(x[1], -1.5),
        ["masked_fill_broadcast_mask"] = x => x[0].MaskedFill(x[1], 0.0),
        ["masked_fill_broadcast_input"] = x => x[0].MaskedFill(x[1], 2.0),
        ["masked_fill_noncontiguous"] = x => x[0].T().MaskedFill(x[1], 9.0),
        ["masked_fill_int"] = x => x[0].MaskedFill(x[1], 2.7),
        ["masked_fill_float64"] = x => x[0].MaskedFill(x[1], 3.0),

        ["logical_not"] = x => ~x[0],
        ["logical_not_noncontiguous"] = x => x[0].T().LogicalNot(),
        ["logical_and"] = x => x[0] & x[1],
        ["logical_or"] = x => x[0] | x[1],
        ["logical_and_broadcast"] = x => x[0].LogicalAnd(x[1]),
        ["logical_or_noncontiguous"] = x => x[0].T().LogicalOr(x[1]),
        ["mask_composition"] = x => Tensor.Where((x[0] > -0.5) & ~(x[0] > 0.5), x[0] * 2.0, x[0].Clamp(-0.1, 0.1)),
    };

    public static IEnumerable<object[]> Cases => GoldenFixture.Names(Fixture);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name) => GoldenRunner.Check(GoldenFixture.Get(Fixture, name), Ops[name]);

    [Fact]
    public void EveryCaseHasATwin() => GoldenRunner.CheckCoverage(Fixture, Ops.Keys);
}
