using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN.Recurrent;

/// <summary>
/// Float64 finite-difference checks of the cells (functional and module) and the layers (through the fused node),
/// with the parameters replaced by the check's inputs so that their gradients are checked too. Small sizes.
/// </summary>
public class RecurrentGradCheckTests
{
    static Tensor U(int seed, params int[] shape) => GradCheckInputs.Uniform(seed, shape);

    static void Check(Func<Tensor[], Tensor> f, params Tensor[] inputs) => GradCheckInputs.AssertPasses(f, inputs);

    [Fact] public void RnnCellTanh() => Check(x => Functional.RnnCell(x[0], x[1], x[2], x[3], x[4], x[5]), U(1, 2, 3), U(2, 2, 4), U(3, 4, 3), U(4, 4, 4), U(5, 4), U(6, 4));
    [Fact] public void RnnCellRelu() => Check(x => Functional.RnnCell(x[0], x[1], x[2], x[3], x[4], x[5], "relu"), U(7, 2, 3), U(8, 2, 4), U(9, 4, 3), U(10, 4, 4), U(11, 4), U(12, 4));
    [Fact] public void LstmCell() => Check(x => { var (h, c) = Functional.LstmCell(x[0], x[1], x[2], x[3], x[4], x[5], x[6]); return h * 2.0 + c; }, U(13, 2, 3), U(14, 2, 2), U(15, 2, 2), U(16, 8, 3), U(17, 8, 2), U(18, 8), U(19, 8));
    [Fact] public void GruCell() => Check(x => Functional.GruCell(x[0], x[1], x[2], x[3], x[4], x[5]), U(20, 2, 3), U(21, 2, 2), U(22, 6, 3), U(23, 6, 2), U(24, 6), U(25, 6));

    [Fact]
    public void LstmCellModule()
    {
        var m = new LSTMCell(3, 2, dtype: DType.Float64);
        Check(x =>
        {
            Load(m, x, 2, "weight_ih", "weight_hh", "bias_ih", "bias_hh");
            var (h, c) = m.Forward(x[0], (x[1], U(30, 2, 2)));
            return h + c;
        }, U(26, 2, 3), U(27, 2, 2), U(16, 8, 3), U(17, 8, 2), U(18, 8), U(19, 8));
    }

    [Fact]
    public void GruCellModuleUnbatched()
    {
        var m = new GRUCell(3, 2, dtype: DType.Float64);
        Check(x =>
        {
            Load(m, x, 2, "weight_ih", "weight_hh", "bias_ih", "bias_hh");
            return m.Forward(x[0], x[1]);
        }, U(31, 3), U(32, 2), U(33, 6, 3), U(34, 6, 2), U(35, 6), U(36, 6));
    }

    /// <summary>Replaces the module's parameters by the check's inputs from index <paramref name="first"/> on.</summary>
    static void Load(Module m, Tensor[] x, int first, params string[] names)
    {
        for (int i = 0; i < names.Length; i++) m.RegisterParameter(names[i], x[first + i]);
    }

    /// <summary>A layer checked through everything it returns, with every parameter and the initial state as inputs.</summary>
    static void CheckLayer(RecurrentLayer layer, int seed, int steps, int batch, bool withState, int[]? lengths = null)
    {
        var names = layer.NamedParameters().Select(p => p.Name).ToArray();
        var inputs = new List<Tensor> { U(seed, layer.BatchFirst ? [batch, steps, layer.InputSize] : [steps, batch, layer.InputSize]) };
        int rows = layer.NumLayers * layer.NumDirections;
        bool lstm = layer is LSTM;
        if (withState)
        {
            inputs.Add(U(seed + 1, rows, batch, layer.HiddenSize));
            if (lstm) inputs.Add(U(seed + 2, rows, batch, layer.HiddenSize));
        }
        int first = inputs.Count;
        foreach (var (name, p) in layer.NamedParameters()) inputs.Add(U(seed + inputs.Count + 10, p.Shape));
        Check(x =>
        {
            Load(layer, x, first, names);
            var state = withState ? new RecurrentState(x[1], lstm ? x[2] : null) : null;
            var r = layer.Forward(x[0], state, lengths);
            return RecurrentGoldenTests.Flat(r);
        }, inputs.ToArray());
    }

    [Fact] public void RnnTanhLayer() => CheckLayer(new RNN(3, 2, dtype: DType.Float64), 100, 3, 2, withState: true);
    [Fact] public void RnnReluBidirectionalLengths() => CheckLayer(new RNN(3, 2, nonlinearity: "relu", bidirectional: true, dtype: DType.Float64), 200, 3, 2, true, [3, 2]);
    [Fact] public void LstmLayer() => CheckLayer(new LSTM(3, 2, dtype: DType.Float64), 300, 3, 2, withState: true);
    [Fact] public void LstmTwoLayerBidirectionalBatchFirstLengths() => CheckLayer(new LSTM(2, 2, 2, batchFirst: true, bidirectional: true, dtype: DType.Float64), 400, 3, 2, true, [1, 3]);
    [Fact] public void GruLayer() => CheckLayer(new GRU(3, 2, dtype: DType.Float64), 500, 3, 2, withState: true);
    [Fact] public void GruTwoLayerBidirectionalLengthsNoBias() => CheckLayer(new GRU(2, 3, 2, bias: false, bidirectional: true, dtype: DType.Float64), 600, 3, 2, true, [2, 3]);
}
