namespace Nabla.Ops;

/// <summary>Which recurrence a layer or cell computes; the gate count is the multiple of hidden in its weight rows.</summary>
internal enum RecurrentMode { RnnTanh, RnnRelu, Lstm, Gru }

internal static class RecurrentModes
{
    public static int Gates(this RecurrentMode mode) => mode switch
    {
        RecurrentMode.Lstm => 4,
        RecurrentMode.Gru => 3,
        _ => 1,
    };

    public static RecurrentMode ForNonlinearity(string nonlinearity, string op) => nonlinearity switch
    {
        "tanh" => RecurrentMode.RnnTanh,
        "relu" => RecurrentMode.RnnRelu,
        _ => throw new ArgumentException($"{op}: unknown nonlinearity '{nonlinearity}'; expected \"tanh\" or \"relu\"."),
    };
}
