using Nabla.Ops;

namespace Nabla.NN;

public abstract partial class RecurrentLayer
{
    /// <summary>
    /// Runs the stack over a sequence. <paramref name="input"/> is [T, N, input_size] ([N, T, input_size] when
    /// batch-first) or unbatched [T, input_size]; <paramref name="state"/> the initial state (zeros when null),
    /// [layers·directions, N, hidden] each ([layers·directions, hidden] unbatched); <paramref name="lengths"/>
    /// the valid length of each sequence (int64 [N], any order, each in 1..T): steps past a sequence's length
    /// output zeros and leave its state alone, and the final state is the one at its last valid step
    /// (PyTorch's pack_padded_sequence semantics).
    /// </summary>
    public RecurrentOutput Forward(Tensor input, RecurrentState? state = null, Tensor? lengths = null) =>
        Forward(input, state, lengths is null ? null : LengthsFromTensor(lengths));

    /// <summary>As <see cref="Forward(Tensor, RecurrentState?, Tensor?)"/> with the lengths as an array.</summary>
    public RecurrentOutput Forward(Tensor input, RecurrentState? state, int[]? lengths)
    {
        var (x, unbatched) = CheckInput(input);
        int steps = x.Size(0), batch = x.Size(1);
        if (lengths is not null) CheckLengths(lengths, steps, batch, unbatched);
        var (h0, c0) = CheckState(state, batch, unbatched, x.DType);

        int d = NumDirections;
        var hs = new Tensor[NumLayers * d];
        var cs = Mode == RecurrentMode.Lstm ? new Tensor[NumLayers * d] : null;
        var layerInput = x;
        for (int layer = 0; layer < NumLayers; layer++)
        {
            if (layer > 0 && Dropout > 0 && IsTraining)
                layerInput = Functional.Dropout(layerInput, Dropout, true, _generator, TypeName);
            var outs = new Tensor[d];
            for (int dir = 0; dir < d; dir++)
            {
                int row = layer * d + dir;
                var (wIh, wHh, bIh, bHh) = LayerParameters(layer, dir);
                var (y, h, c) = RunDirection(Mode, layerInput, h0.Select(0, row), c0?.Select(0, row), wIh, wHh, bIh, bHh, dir == 1, lengths);
                outs[dir] = y;
                hs[row] = h;
                if (cs is not null) cs[row] = c!;
            }
            layerInput = d == 1 ? outs[0] : Tensor.Cat(outs, 2);
        }

        var output = layerInput;
        var hN = Tensor.Stack(hs, 0);
        var cN = cs is null ? null : Tensor.Stack(cs, 0);
        if (unbatched) return new(output.Squeeze(1), new(hN.Squeeze(1), cN?.Squeeze(1)));
        if (BatchFirst) output = output.Transpose(0, 1);
        return new(output, new(hN, cN));
    }

    /// <summary>One layer-direction over the whole sequence: the fused node (one autograd node for all steps).</summary>
    internal static (Tensor Output, Tensor H, Tensor? C) RunDirection(RecurrentMode mode, Tensor x, Tensor h0, Tensor? c0,
        Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh, bool reverse, int[]? lengths)
    {
        int steps = x.Size(0);
        var packed = Ops.RecurrentSequenceOp.Forward(mode, x, h0, c0, wIh, wHh, bIh, bHh, reverse, lengths);
        return (packed.Narrow(0, 0, steps), packed.Select(0, steps), mode == RecurrentMode.Lstm ? packed.Select(0, steps + 1) : null);
    }

    /// <summary>Validates the input and returns it as [T, N, input_size] with whether it was unbatched.</summary>
    (Tensor X, bool Unbatched) CheckInput(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank is not (2 or 3))
            throw new ArgumentException($"{TypeName}: expected input of rank 3 ({(BatchFirst ? "[N, T, " : "[T, N, ")}{InputSize}]) or 2 (unbatched [T, {InputSize}]), got shape {input.ShapeText}.");
        if (input.Size(-1) != InputSize)
            throw new ArgumentException($"{TypeName}: expected input with {InputSize} features (input_size), got shape {input.ShapeText}.");
        var dtype = LayerParameters(0).WeightIh.DType;
        if (input.DType != dtype)
            throw new ArgumentException($"{TypeName}: input is {input.DType.TorchName()} of shape {input.ShapeText} but the parameters are {dtype.TorchName()}.");
        if (input.Size(0) == 0 || (input.Rank == 3 && input.Size(1) == 0))
            throw new ArgumentException($"{TypeName}: expected a non-empty sequence batch, got shape {input.ShapeText}.");
        if (input.Rank == 2) return (input.Unsqueeze(1), true);
        return (BatchFirst ? input.Transpose(0, 1) : input, false);
    }

    /// <summary>Validates the initial state (or makes zeros) and returns H and C as [layers·directions, N, hidden].</summary>
    (Tensor H, Tensor? C) CheckState(RecurrentState? state, int batch, bool unbatched, DType dtype)
    {
        bool lstm = Mode == RecurrentMode.Lstm;
        if (state is null)
        {
            var zero = InitialState(batch);
            return (zero.H, zero.C);
        }
        if (!lstm && state.C is not null)
            throw new ArgumentException($"{TypeName}: the state has a cell state C of shape {state.C.ShapeText}, but only an LSTM has one; pass new RecurrentState(H).");
        if (lstm && state.C is null)
            throw new ArgumentException($"{TypeName}: the state has H but no cell state C; an LSTM state needs both (h0, c0).");
        var h = CheckStateTensor(state.H, "h0", batch, unbatched, dtype);
        var c = lstm ? CheckStateTensor(state.C!, "c0", batch, unbatched, dtype) : null;
        return (h, c);
    }

    Tensor CheckStateTensor(Tensor t, string name, int batch, bool unbatched, DType dtype)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        int rows = NumLayers * NumDirections;
        int[] expected = unbatched ? [rows, HiddenSize] : [rows, batch, HiddenSize];
        if (!t.Shape.AsSpan().SequenceEqual(expected))
            throw new ArgumentException($"{TypeName}: expected {name} of shape {RecurrentCell.Format(expected)}, got {t.ShapeText}.");
        if (t.DType != dtype)
            throw new ArgumentException($"{TypeName}: {name} is {t.DType.TorchName()} but the input and parameters are {dtype.TorchName()}.");
        return unbatched ? t.Unsqueeze(1) : t;
    }

    int[] LengthsFromTensor(Tensor lengths)
    {
        if (lengths.DType != DType.Int64 || lengths.Rank != 1)
            throw new ArgumentException($"{TypeName}: lengths must be a 1-D int64 tensor, got {lengths.DType.TorchName()} of shape {lengths.ShapeText}.");
        var values = lengths.Contiguous().ToArray<long>();
        var result = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
            result[i] = values[i] is >= int.MinValue and <= int.MaxValue ? (int)values[i] : -1;
        return result;
    }

    void CheckLengths(int[] lengths, int steps, int batch, bool unbatched)
    {
        if (unbatched)
            throw new ArgumentException($"{TypeName}: lengths need batched input [T, N, {InputSize}], got an unbatched sequence of {steps} steps.");
        if (lengths.Length != batch)
            throw new ArgumentException($"{TypeName}: expected {batch} lengths (one per sequence in the batch), got {lengths.Length}.");
        for (int b = 0; b < batch; b++)
            if (lengths[b] < 1 || lengths[b] > steps)
                throw new ArgumentException($"{TypeName}: lengths[{b}] = {lengths[b]} is out of range; every length must be in 1..{steps} (the sequence has {steps} steps).");
    }
}
