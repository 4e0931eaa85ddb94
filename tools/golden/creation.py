"""Golden values for the deterministic creation functions: arange, linspace, eye."""
import torch
from common import Fixture

f = Fixture("creation")
A = torch.arange
f.case("arange_end", lambda: A(5), grad=False)
f.case("arange_start_step", lambda: A(2, 20, 3), grad=False)
f.case("arange_negative_step", lambda: A(10, -3, -4), grad=False)
f.case("arange_empty", lambda: A(3, 3), grad=False)
f.case("arange_int_as_float64", lambda: A(0, 5, dtype=torch.float64), grad=False)
f.case("arange_int_as_float32", lambda: A(-3, 9, 2, dtype=torch.float32), grad=False)
f.case("arange_float_end", lambda: A(2.5), grad=False)
f.case("arange_float_tenths", lambda: A(0, 1, 0.1), grad=False)
f.case("arange_float_negative_step", lambda: A(1.5, -2.0, -0.25), grad=False)
f.case("arange_float_inexact", lambda: A(0.3, 5.1, 0.7), grad=False)
f.case("arange_float_long", lambda: A(-1.0, 1.0, 0.01), grad=False)
f.case("arange_float64_tenths", lambda: A(0, 1, 0.1, dtype=torch.float64), grad=False)
f.case("arange_float_as_int64", lambda: A(0.5, 7.5, 1.5, dtype=torch.int64), grad=False)
L = torch.linspace
f.case("linspace_quarters", lambda: L(0, 1, 5), grad=False)
f.case("linspace_integers", lambda: L(-3, 7, 11), grad=False)
f.case("linspace_sevenths", lambda: L(0, 1, 7), grad=False)
f.case("linspace_one", lambda: L(2, 5, 1), grad=False)
f.case("linspace_zero", lambda: L(0, 1, 0), grad=False)
f.case("linspace_descending_float64", lambda: L(1, -1, 10, dtype=torch.float64), grad=False)
f.case("linspace_int64", lambda: L(0, 10, 4, dtype=torch.int64), grad=False)
f.case("linspace_int64_negative", lambda: L(-7, 3, 6, dtype=torch.int64), grad=False)
f.case("linspace_long", lambda: L(-5.5, 3.3, 100), grad=False)
E = torch.eye
f.case("eye_square", lambda: E(3), grad=False)
f.case("eye_wide", lambda: E(2, 4), grad=False)
f.case("eye_tall_int64", lambda: E(4, 2, dtype=torch.int64), grad=False)
f.case("eye_empty", lambda: E(0), grad=False)
f.case("eye_float64", lambda: E(3, dtype=torch.float64), grad=False)
f.case("eye_bool", lambda: E(2, dtype=torch.bool), grad=False)
f.save()
