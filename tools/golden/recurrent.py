"""Golden fixtures for the recurrent layers and cells (torch.nn.RNN/LSTM/GRU, RNNCell/LSTMCell/GRUCell).

A case's inputs are the data (x, then h0 and c0 when given, then the int64 lengths when given) followed by every
parameter of the module in named_parameters() order, so their gradients are recorded. The output is one flat
vector: cat(output.flatten(), h_n.flatten(), c_n.flatten()) for layers, cat(h'.flatten(), c'.flatten()) for
cells. Variable lengths go through pack_padded_sequence(enforce_sorted=False) / pad_packed_sequence(total_length=T).
"""
import math
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
from torch.nn.utils.stateless import functional_call
from common import Fixture

f = Fixture("recurrent", seed=11)


def params_for(module):
    k = 1 / math.sqrt(module.hidden_size)
    return [(n, f.rand(*p.shape, low=-k, high=k, dtype=p.dtype)) for n, p in module.named_parameters()]


def call_with(module, params, args):
    """Runs module with its parameters replaced by params (leaves of the case). RNNBase.forward reads
    self._flat_weights (a cached list), not the attributes, so that list is swapped for the call."""
    saved = module._flat_weights
    module._flat_weights = list(params)
    try:
        return module(*args)
    finally:
        module._flat_weights = saved


def layer_case(name, module, x, h0=None, c0=None, lengths=None):
    named = params_for(module)
    names = [n for n, _ in named]
    data = [x] + ([h0] if h0 is not None else []) + ([c0] if c0 is not None else [])
    if lengths is not None:
        data.append(torch.tensor(lengths, dtype=torch.int64))
    nd = len(data)

    def fn(*args):
        ps = args[nd:]
        xx = args[0]
        state = None
        if h0 is not None:
            state = (args[1], args[2]) if c0 is not None else args[1]
        if lengths is None:
            out, st = call_with(module, ps, (xx, state))
        else:
            bf = module.batch_first
            packed = pack_padded_sequence(xx, args[nd - 1], batch_first=bf, enforce_sorted=False)
            out, st = call_with(module, ps, (packed, state))
            out, _ = pad_packed_sequence(out, batch_first=bf, total_length=xx.shape[1 if bf else 0])
        parts = [out.reshape(-1)]
        parts += [s.reshape(-1) for s in st] if isinstance(st, tuple) else [st.reshape(-1)]
        return torch.cat(parts)

    f.case(name, fn, *data, *[p for _, p in named])


def cell_case(name, module, x, h0=None, c0=None):
    named = params_for(module)
    names = [n for n, _ in named]
    data = [x] + ([h0] if h0 is not None else []) + ([c0] if c0 is not None else [])
    nd = len(data)

    def fn(*args):
        ps = dict(zip(names, args[nd:]))
        state = None
        if h0 is not None:
            state = (args[1], args[2]) if c0 is not None else args[1]
        out = functional_call(module, ps, (args[0], state))
        return torch.cat([o.reshape(-1) for o in out]) if isinstance(out, tuple) else out.reshape(-1)

    f.case(name, fn, *data, *[p for _, p in named])


nn = torch.nn
T, N, I, H = 5, 3, 4, 6

# RNN
layer_case("rnn_tanh", nn.RNN(I, H), f.randn(T, N, I))
layer_case("rnn_relu_2layer_state", nn.RNN(I, H, 2, nonlinearity="relu"), f.randn(T, N, I), f.randn(2, N, H))
layer_case("rnn_bidir_batch_first", nn.RNN(I, H, bidirectional=True, batch_first=True), f.randn(N, T, I))
layer_case("rnn_lengths_bidir", nn.RNN(I, H, 2, bidirectional=True), f.randn(T, N, I), f.randn(4, N, H), lengths=[3, 5, 1])
layer_case("rnn_no_bias_unbatched", nn.RNN(I, H, bias=False), f.randn(T, I), f.randn(1, H))

# LSTM
layer_case("lstm", nn.LSTM(I, H), f.randn(T, N, I))
layer_case("lstm_2layer_bidir_state", nn.LSTM(I, H, 2, bidirectional=True), f.randn(T, N, I), f.randn(4, N, H), f.randn(4, N, H))
layer_case("lstm_batch_first_state", nn.LSTM(I, H, batch_first=True), f.randn(N, T, I), f.randn(1, N, H), f.randn(1, N, H))
layer_case("lstm_no_bias", nn.LSTM(I, H, bias=False), f.randn(T, N, I))
layer_case("lstm_lengths", nn.LSTM(I, H), f.randn(T, N, I), lengths=[2, 5, 4])
layer_case("lstm_lengths_bidir_state", nn.LSTM(I, H, 2, bidirectional=True), f.randn(T, N, I),
           f.randn(4, N, H), f.randn(4, N, H), lengths=[4, 1, 5])
layer_case("lstm_lengths_batch_first_bidir", nn.LSTM(I, H, bidirectional=True, batch_first=True), f.randn(N, T, I), lengths=[5, 3, 3])
layer_case("lstm_unbatched_state", nn.LSTM(I, H, 2), f.randn(T, I), f.randn(2, H), f.randn(2, H))
layer_case("lstm_odd_sizes", nn.LSTM(7, 19), f.randn(3, 2, 7))
layer_case("lstm_wide", nn.LSTM(5, 40, bidirectional=True), f.randn(4, 9, 5), lengths=[4, 3, 2, 1, 4, 4, 2, 3, 1])
layer_case("lstm_float64", nn.LSTM(I, H).double(), f.randn(T, N, I, dtype=torch.float64))

# GRU
layer_case("gru", nn.GRU(I, H), f.randn(T, N, I))
layer_case("gru_2layer_bidir_state", nn.GRU(I, H, 2, bidirectional=True), f.randn(T, N, I), f.randn(4, N, H))
layer_case("gru_batch_first", nn.GRU(I, H, batch_first=True), f.randn(N, T, I))
layer_case("gru_no_bias", nn.GRU(I, H, bias=False), f.randn(T, N, I), f.randn(1, N, H))
layer_case("gru_lengths_bidir", nn.GRU(I, H, bidirectional=True), f.randn(T, N, I), f.randn(2, N, H), lengths=[1, 4, 5])
layer_case("gru_unbatched", nn.GRU(I, H), f.randn(T, I))
layer_case("gru_odd_sizes", nn.GRU(7, 19, 2), f.randn(3, 2, 7))

# Cells
cell_case("rnn_cell", nn.RNNCell(I, H), f.randn(N, I), f.randn(N, H))
cell_case("rnn_cell_relu_no_bias", nn.RNNCell(I, H, bias=False, nonlinearity="relu"), f.randn(N, I), f.randn(N, H))
cell_case("rnn_cell_unbatched_zero_state", nn.RNNCell(I, H), f.randn(I))
cell_case("lstm_cell", nn.LSTMCell(I, H), f.randn(N, I), f.randn(N, H), f.randn(N, H))
cell_case("lstm_cell_unbatched", nn.LSTMCell(I, H), f.randn(I), f.randn(H), f.randn(H))
cell_case("lstm_cell_zero_state", nn.LSTMCell(I, H), f.randn(N, I))
cell_case("gru_cell", nn.GRUCell(I, H), f.randn(N, I), f.randn(N, H))
cell_case("gru_cell_no_bias_unbatched", nn.GRUCell(I, H, bias=False), f.randn(I), f.randn(H))

f.save()
